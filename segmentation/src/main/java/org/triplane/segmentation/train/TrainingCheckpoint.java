package org.triplane.segmentation.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.triplane.segmentation.model.UNetConfig;

/**
 * The state of a training after a finished epoch, kept in a checkpoint folder:
 * {@code checkpoint.properties} (this record), {@code epoch-NNNN.params} (weights after epoch NNNN,
 * see {@code ModelFiles}) and {@code epoch-NNNN.adam} (optimizer state). Only the files of the last
 * and of the best epoch are kept. The properties file is written last and moved into place
 * atomically: it is the commit point, so a kill at any moment leaves a consistent checkpoint.
 *
 * @param epoch       last finished epoch (from 1)
 * @param bestEpoch   epoch with the best validation mean IoU so far
 * @param bestMeanIoU that IoU (NaN if no epoch had a region in truth or prediction)
 * @param config      the network trained
 * @param settings    how it is trained
 * @param history     reports of epochs 1..epoch
 */
record TrainingCheckpoint(int epoch, int bestEpoch, double bestMeanIoU, UNetConfig config, TrainingSettings settings,
                          List<EpochReport> history) {
    static final String FILE = "checkpoint.properties";
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch-(\\d{4,})\\.(params|adam)");

    TrainingCheckpoint {
        history = List.copyOf(history);
    }

    static Path weightsFile(Path dir, int epoch) {
        return dir.resolve(String.format(Locale.ROOT, "epoch-%04d.params", epoch));
    }

    static Path optimizerFile(Path dir, int epoch) {
        return dir.resolve(String.format(Locale.ROOT, "epoch-%04d.adam", epoch));
    }

    /** The checkpoint in {@code dir}, or empty if the folder holds none. */
    static Optional<TrainingCheckpoint> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            int epoch = Integer.parseInt(get(p, "epoch", file));
            UNetConfig config = new UNetConfig(Integer.parseInt(get(p, "config.depth", file)),
                    Integer.parseInt(get(p, "config.baseFilters", file)),
                    Double.parseDouble(get(p, "config.dropout", file)),
                    Double.parseDouble(get(p, "config.inputNoiseStd", file)),
                    Integer.parseInt(get(p, "config.inputChannels", file)),
                    Integer.parseInt(get(p, "config.classes", file)));
            TrainingSettings settings = new TrainingSettings(Integer.parseInt(get(p, "settings.epochs", file)),
                    Integer.parseInt(get(p, "settings.batchSize", file)),
                    Double.parseDouble(get(p, "settings.learningRate", file)),
                    Double.parseDouble(get(p, "settings.alpha", file)),
                    Double.parseDouble(get(p, "settings.beta", file)),
                    // why: checkpoints written before the cross-entropy term trained with the Tversky loss alone
                    Double.parseDouble(p.getProperty("settings.crossEntropyWeight", "0")),
                    Long.parseLong(get(p, "settings.seed", file)));
            List<EpochReport> history = new ArrayList<>();
            for (int e = 1; e <= epoch; e++) {
                history.add(decode(e, get(p, "history." + e, file)));
            }
            return Optional.of(new TrainingCheckpoint(epoch, Integer.parseInt(get(p, "bestEpoch", file)),
                    Double.parseDouble(get(p, "bestMeanIoU", file)), config, settings, history));
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Commits this checkpoint (temp file, atomic move), then deletes epoch files of other epochs than last and best. */
    void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("epoch", Integer.toString(epoch));
        p.setProperty("bestEpoch", Integer.toString(bestEpoch));
        p.setProperty("bestMeanIoU", Double.toString(bestMeanIoU));
        p.setProperty("bestWeights", weightsFile(dir, bestEpoch).getFileName().toString());
        p.setProperty("architecture", UNetConfig.ARCHITECTURE);
        p.setProperty("config.depth", Integer.toString(config.depth()));
        p.setProperty("config.baseFilters", Integer.toString(config.baseFilters()));
        p.setProperty("config.dropout", Double.toString(config.dropout()));
        p.setProperty("config.inputNoiseStd", Double.toString(config.inputNoiseStd()));
        p.setProperty("config.inputChannels", Integer.toString(config.inputChannels()));
        p.setProperty("config.classes", Integer.toString(config.classes()));
        p.setProperty("settings.epochs", Integer.toString(settings.epochs()));
        p.setProperty("settings.batchSize", Integer.toString(settings.batchSize()));
        p.setProperty("settings.learningRate", Double.toString(settings.learningRate()));
        p.setProperty("settings.alpha", Double.toString(settings.alpha()));
        p.setProperty("settings.beta", Double.toString(settings.beta()));
        p.setProperty("settings.crossEntropyWeight", Double.toString(settings.crossEntropyWeight()));
        p.setProperty("settings.seed", Long.toString(settings.seed()));
        for (EpochReport r : history) {
            p.setProperty("history." + r.epoch(), encode(r));
        }
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "U-Net training checkpoint; history.N = train tversky,ce,mse, validation tversky,ce,mse,"
                        + " mean IoU, seconds, IoU of labels 0..20");
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = EPOCH_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    int e = Integer.parseInt(m.group(1));
                    if (e != epoch && e != bestEpoch) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    private static String get(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("missing key " + key + " in " + file);
        }
        return v;
    }

    // why: Double.toString/parseDouble round-trip exactly (NaN included), so a resumed history equals the original
    private static String encode(EpochReport r) {
        StringBuilder sb = new StringBuilder();
        for (double v : new double[] {r.trainTversky(), r.trainCrossEntropy(), r.trainMse(), r.validationTversky(),
                r.validationCrossEntropy(), r.validationMse(), r.meanIoU(), r.seconds()}) {
            sb.append(v).append(',');
        }
        double[] iou = r.classIoU();
        for (int i = 0; i < iou.length; i++) {
            sb.append(i == 0 ? "" : ",").append(iou[i]);
        }
        return sb.toString();
    }

    private static EpochReport decode(int epoch, String s) {
        String[] f = s.split(",");
        if (f.length < 9) {
            throw new IllegalArgumentException("history." + epoch + " has " + f.length + " fields, expected 8 + classes");
        }
        double[] v = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Double.parseDouble(f[i]);
        }
        double[] iou = java.util.Arrays.copyOfRange(v, 8, v.length);
        return new EpochReport(epoch, v[0], v[1], v[2], v[3], v[4], v[5], iou, v[6], v[7]);
    }
}
