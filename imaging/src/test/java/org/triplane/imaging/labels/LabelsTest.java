package org.triplane.imaging.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

class LabelsTest {
    @Test
    void tableFollowsTheStudy() {
        assertEquals(20, AspectsRegion.values().length);
        assertEquals("C", AspectsRegion.ofLabel(1).shortName());
        assertEquals("IC", AspectsRegion.ofLabel(13).shortName());
        assertEquals("M5", AspectsRegion.ofLabel(6).shortName());
        assertEquals("M1", AspectsRegion.ofLabel(18).shortName());
        assertEquals(Hemisphere.LEFT, AspectsRegion.ofLabel(10).hemisphere());
        assertEquals(Hemisphere.RIGHT, AspectsRegion.ofLabel(11).hemisphere());
    }

    @Test
    void everyRegionHasItsTwinTenLabelsAway() {
        for (AspectsRegion r : AspectsRegion.values()) {
            AspectsRegion twin = r.contralateral();
            assertEquals(r.shortName(), twin.shortName());
            assertEquals(10, Math.abs(r.label() - twin.label()));
            assertTrue(r.hemisphere() != twin.hemisphere());
            assertEquals(r.label(), AspectsRegion.swapSide(AspectsRegion.swapSide(r.label())));
        }
        assertEquals(0, AspectsRegion.swapSide(0));
    }

    @Test
    void shippedAtlasMapRelabelsTheSourceNumbering() throws IOException {
        LabelMap m = LabelMap.resource("/labels/dlaais-mca-atlas.tsv");
        // values from the atlas README's verified table
        assertEquals(11, m.map(1));
        assertEquals(14, m.map(2));
        assertEquals(12, m.map(4));
        assertEquals(4, m.map(12));
        assertEquals(7, m.map(20));
        assertEquals(0, m.map(0));
        assertThrows(IllegalArgumentException.class, () -> m.map(21));
    }

    @Test
    void mapsApplyToVolumesAndReportBadLines() throws IOException {
        LabelMap m = LabelMap.parse("test", "# comment\n5 1\n7 11\n* 0\n");
        Volume v = Volume.allocate(Geometry.axisAligned(3, 1, 1, new double[] {1, 1, 1}, new double[3]), DataType.INT16);
        v.voxels().set(0, 5);
        v.voxels().set(1, 7);
        v.voxels().set(2, 300);
        Volume out = m.apply(v);
        assertEquals(DataType.UINT8, out.type());
        assertEquals(1, out.voxels().get(0));
        assertEquals(11, out.voxels().get(1));
        assertEquals(0, out.voxels().get(2));
        IOException e = assertThrows(IOException.class, () -> LabelMap.parse("bad.tsv", "1 2\n3 25\n"));
        assertTrue(e.getMessage().contains("bad.tsv: line 2"), e.getMessage());
    }
}
