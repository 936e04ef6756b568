package org.triplane.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The study's folder layout: per scan {@code N.nii.gz} (the CT), optionally {@code N.txt} (its ITK
 * transform; without it the preprocess-worker derives the rotation from the atlas registration)
 * and optionally {@code N-seg.nii} or {@code N-seg.nii.gz} (reference labels), N a number. Other
 * files are ignored; a transform or labels file without its CT and both label forms for one scan
 * are refused naming the file.
 */
final class StudyLayout {
    private static final Pattern CT = Pattern.compile("(\\d+)\\.nii\\.gz");
    private static final Pattern TRANSFORM = Pattern.compile("(\\d+)\\.txt");
    private static final Pattern LABELS = Pattern.compile("(\\d+)-seg\\.nii(\\.gz)?");

    /**
     * One scan's files.
     *
     * @param stem      the number as written in the file names (leading zeros kept)
     * @param ct        {@code N.nii.gz}
     * @param transform {@code N.txt}, or {@code null} when the scan has none
     * @param labels    {@code N-seg.nii(.gz)}, or {@code null}
     */
    record ScanFiles(String stem, Path ct, Path transform, Path labels) {
    }

    private StudyLayout() {
    }

    /** The scans of {@code dir} ordered by number. */
    static List<ScanFiles> discover(Path dir) throws InputException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": not a folder" + (Files.exists(dir) ? "" : " (does not exist)"));
        }
        Map<String, Path> cts = new TreeMap<>();
        Map<String, Path> transforms = new TreeMap<>();
        Map<String, Path> labels = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            Matcher m;
            if ((m = CT.matcher(name)).matches()) {
                cts.put(m.group(1), f);
            } else if ((m = TRANSFORM.matcher(name)).matches()) {
                transforms.put(m.group(1), f);
            } else if ((m = LABELS.matcher(name)).matches()) {
                Path earlier = labels.put(m.group(1), f);
                if (earlier != null) {
                    throw new InputException(dir.resolve(m.group(1) + "-seg.nii") + " and " + m.group(1)
                            + "-seg.nii.gz: two label files for scan " + m.group(1) + "; keep one");
                }
            }
        }
        if (cts.isEmpty()) {
            throw new InputException(dir + ": no scan in the study's layout (N.nii.gz, optionally its transform N.txt "
                    + "and labels N-seg.nii.gz)");
        }
        for (Map.Entry<String, Path> t : transforms.entrySet()) {
            if (!cts.containsKey(t.getKey())) {
                throw new InputException(t.getValue() + ": transform without its CT " + t.getKey() + ".nii.gz");
            }
        }
        for (Map.Entry<String, Path> l : labels.entrySet()) {
            if (!cts.containsKey(l.getKey())) {
                throw new InputException(l.getValue() + ": labels without their CT " + l.getKey() + ".nii.gz");
            }
        }
        List<ScanFiles> scans = new ArrayList<>();
        for (Map.Entry<String, Path> c : cts.entrySet()) {
            Path transform = transforms.get(c.getKey());
            scans.add(new ScanFiles(c.getKey(), c.getValue(), transform, labels.get(c.getKey())));
        }
        // why: "1, 2, ..., 10" rather than the text order "1, 10, 2"
        scans.sort(Comparator.comparing((ScanFiles s) -> new BigInteger(s.stem())).thenComparing(ScanFiles::stem));
        return scans;
    }
}
