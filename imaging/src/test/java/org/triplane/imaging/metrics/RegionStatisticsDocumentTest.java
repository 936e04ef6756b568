package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class RegionStatisticsDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Left C (1) on voxels 0 and 1, right C (11) on voxel 2, background on voxel 3; HU 10, 20, 30, 40. */
    private static RegionStatistics fourVoxels() {
        Geometry g = Geometry.axisAligned(4, 1, 1, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume ct = Volume.allocate(g, DataType.INT16);
        for (int i = 0; i < 4; i++) {
            ct.voxels().set(i, 10 * (i + 1));
        }
        return RegionStatistics.of(ct, new Volume(g, new VoxelBuffer.UInt8(new byte[] {1, 1, 11, 0})));
    }

    @Test
    void holdsTheMeasurementsWithNullWhereAValueDoesNotExist() {
        RegionStatisticsDocument doc = RegionStatisticsDocument.of(fourVoxels(), 0.001);
        assertEquals(RegionStatisticsDocument.ACQUIRED_GRID, doc.grid());
        assertEquals(RegionStatistics.DIFFERENCE_LIMIT_HU, doc.differenceLimitHu(), 0);
        assertEquals(RegionStatistics.RATIO_LIMIT, doc.ratioLimit(), 0);
        assertEquals(20, doc.regions().size());
        RegionStatisticsDocument.Region leftC = doc.regions().get(0);
        assertEquals(new RegionStatisticsDocument.Region(1, "left C", 2, 0.002, 15.0, 10.0), leftC);
        RegionStatisticsDocument.Region leftL = doc.regions().get(1);
        assertTrue(leftL.voxels() == 0 && leftL.meanHu() == null && leftL.medianHu() == null);
        assertEquals(10, doc.pairs().size());
        RegionStatisticsDocument.Pair c = doc.pairs().get(0);
        assertEquals(-15.0, c.differenceHu(), 0);
        assertEquals(0.5, c.ratio(), 0);
        assertTrue(c.flagged());
        RegionStatisticsDocument.Pair l = doc.pairs().get(1);
        assertNull(l.differenceHu());
        assertNull(l.ratio());
        assertFalse(l.flagged());
        assertEquals(List.of("C"), doc.flagged());
    }

    @Test
    void aJsonMapperWritesAndReadsItByItsComponents() throws Exception {
        RegionStatisticsDocument doc = RegionStatisticsDocument.of(fourVoxels(), 0.001);
        String json = JSON.writeValueAsString(doc);
        assertTrue(json.startsWith("{\"grid\":\"acquired\",\"voxelMl\":0.001,\"differenceLimitHu\":2.0,\"ratioLimit\":0.95,"
                + "\"regions\":[{\"label\":1,\"name\":\"left C\",\"voxels\":2,\"volumeMl\":0.002,\"meanHu\":15.0,"
                + "\"medianHu\":10.0},{\"label\":2,\"name\":\"left L\",\"voxels\":0,\"volumeMl\":0.0,\"meanHu\":null,"
                + "\"medianHu\":null}"), json);
        assertTrue(json.endsWith("\"flagged\":[\"C\"]}"), json);
        assertEquals(doc, JSON.readValue(json, RegionStatisticsDocument.class));
    }

    @Test
    void aDocumentWithoutMeasurementsReadsAsNoRegionsOnTheAcquiredGrid() throws Exception {
        RegionStatisticsDocument empty = JSON.readValue("{}", RegionStatisticsDocument.class);
        assertTrue(empty.regions().isEmpty() && empty.pairs().isEmpty() && empty.flagged().isEmpty());
        assertEquals(RegionStatisticsDocument.ACQUIRED_GRID, empty.grid());
    }
}
