package org.triplane.imaging.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The viewers' label tables, read back by readers written here from each viewer's documented
 * format (ITK-SNAP's label description file as its ColorLabelTable reads it: comment lines start
 * with {@code #}, then {@code IDX R G B A VIS MSH "LABEL"} with A a fraction; 3D Slicer's colour
 * table: first line {@code # Color table file}, then {@code index name R G B A}, 0..255, the name
 * one word), and checked against colours written out here.
 */
class ViewerLabelTableTest {

    /** One entry as a viewer reads it: colour and opacity 0..255. */
    record Entry(int label, String name, int r, int g, int b, int alpha, boolean visible) {
    }

    static List<Entry> readItkSnap(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int quote = line.indexOf('"');
            int end = line.indexOf('"', quote + 1);
            assertTrue(quote > 0 && end > quote && line.substring(end + 1).isBlank(), "label not in quotes: " + line);
            String[] f = line.substring(0, quote).trim().split("\\s+");
            assertEquals(7, f.length, "IDX R G B A VIS MSH before the label: " + line);
            float alpha = Float.parseFloat(f[4]);
            assertTrue(alpha >= 0 && alpha <= 1, "opacity 0..1: " + line);
            assertEquals(f[5], f[6], "shown in slices and in 3D alike: " + line);
            out.add(new Entry(Integer.parseInt(f[0]), line.substring(quote + 1, end), channel(f[1]), channel(f[2]),
                    channel(f[3]), Math.round(255 * alpha), Integer.parseInt(f[5]) == 1));
        }
        return out;
    }

    static List<Entry> readSlicer(String text) {
        assertTrue(text.startsWith("# Color table file"), "Slicer's discrete table header: " + text.lines().findFirst());
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            assertEquals(6, f.length, "index name R G B A, one space apart: " + line);
            int alpha = channel(f[5]);
            out.add(new Entry(Integer.parseInt(f[0]), f[1], channel(f[2]), channel(f[3]), channel(f[4]), alpha, alpha > 0));
        }
        return out;
    }

    private static int channel(String s) {
        int v = Integer.parseInt(s);
        assertTrue(v >= 0 && v <= 255, "a channel is 0..255, got " + s);
        return v;
    }

    @Test
    void itkSnapsTableHasEveryLabelWithTheReportsNameAndColour() {
        String text = ViewerLabelTable.ITK_SNAP.text();
        assertTrue(text.contains("\n# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n"), text);
        assertTrue(text.contains("\n    1    31  119  180        1  1  1    \"left C\"\n"), text);
        List<Entry> entries = readItkSnap(text);
        assertLabelsZeroToTwenty(entries);
        assertEquals(new Entry(0, "background", 0, 0, 0, 0, false), entries.get(0));
        assertEquals(new Entry(1, "left C", 31, 119, 180, 255, true), entries.get(1));
        assertEquals(new Entry(11, "right C", 132, 180, 214, 255, true), entries.get(11));
        assertEquals(new Entry(20, "right M3", 255, 233, 115, 255, true), entries.get(20));
    }

    @Test
    void slicersTableHasEveryLabelWithTheReportsNameAsOneWordAndColour() {
        String text = ViewerLabelTable.SLICER.text();
        assertTrue(text.startsWith("# Color table file"), text);
        assertTrue(text.contains("\n0 background 0 0 0 0\n"), text);
        assertTrue(text.contains("\n1 left_C 31 119 180 255\n"), text);
        List<Entry> entries = readSlicer(text);
        assertLabelsZeroToTwenty(entries);
        assertEquals(new Entry(11, "right_C", 132, 180, 214, 255, true), entries.get(11));
        assertEquals(new Entry(20, "right_M3", 255, 233, 115, 255, true), entries.get(20));
    }

    @Test
    void bothTablesShowTheSameColoursUnderTheSameNamesAsTheReport() {
        List<Entry> itk = readItkSnap(ViewerLabelTable.ITK_SNAP.text());
        List<Entry> slicer = readSlicer(ViewerLabelTable.SLICER.text());
        for (int label = 0; label <= AspectsRegion.COUNT; label++) {
            Entry a = itk.get(label);
            Entry b = slicer.get(label);
            assertEquals(List.of(a.r(), a.g(), a.b(), a.alpha()), List.of(b.r(), b.g(), b.b(), b.alpha()), "label " + label);
            assertEquals(LabelPalette.name(label), a.name(), "label " + label);
            assertEquals(a.name().replace(' ', '_'), b.name(), "label " + label);
            if (label > 0) {
                assertEquals(LabelPalette.css(label), String.format(Locale.ROOT, "#%02x%02x%02x", a.r(), a.g(), a.b()));
            }
        }
    }

    @Test
    void tablesArePlainAsciiWithUnixLineEnds() {
        for (ViewerLabelTable t : ViewerLabelTable.values()) {
            String text = t.text();
            assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7F)), t + " is not plain ASCII");
            assertTrue(text.endsWith("\n"), t + " ends without a line end");
        }
        assertEquals(".itksnap.txt", ViewerLabelTable.ITK_SNAP.suffix());
        assertEquals(".ctbl", ViewerLabelTable.SLICER.suffix());
    }

    private static void assertLabelsZeroToTwenty(List<Entry> entries) {
        assertEquals(21, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(i, entries.get(i).label(), "labels in order, each once");
            assertEquals(i > 0, entries.get(i).visible(), "only the background is hidden");
        }
    }
}
