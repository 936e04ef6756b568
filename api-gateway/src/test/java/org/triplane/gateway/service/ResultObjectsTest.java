package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.results.FusedResult;

/** A result's download names, from plane keys as the fusion-worker records them (tables beside the label volumes). */
class ResultObjectsTest {

    @Test
    void viewerTablesAreListedUnderTheirVolumesNameWithTheTablesSuffix() {
        String planeKeys = """
                {"axial":{"labels":"p/axial/labels.nii.gz","confidence":"p/axial/confidence.nii.gz",
                          "labels.itksnap.txt":"p/axial/labels.itksnap.txt","labels.ctbl":"p/axial/labels.ctbl"},
                 "atlas":{"labels":"p/atlas/labels.nii.gz","labels-acquired":"p/atlas/labels-acquired.nii.gz",
                          "labels-acquired.ctbl":"p/atlas/labels-acquired.ctbl"},
                 "segmentation.itksnap.txt":"f/labels-acquired.itksnap.txt","segmentation.ctbl":"f/labels-acquired.ctbl"}
                """;
        FusedResult r = new FusedResult(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null,
                "f/labels-acquired.nii.gz", "f/labels-rotated.nii.gz", planeKeys, "majority", "{}", null, null);
        Map<String, String> objects = ResultObjects.of(r, new ObjectMapper());
        assertThat(objects).containsEntry("segmentation", "f/labels-acquired.nii.gz")
                .containsEntry("segmentation.itksnap.txt", "f/labels-acquired.itksnap.txt")
                .containsEntry("segmentation.ctbl", "f/labels-acquired.ctbl")
                .containsEntry("axial-labels", "p/axial/labels.nii.gz")
                .containsEntry("axial-labels.itksnap.txt", "p/axial/labels.itksnap.txt")
                .containsEntry("axial-labels.ctbl", "p/axial/labels.ctbl")
                .containsEntry("atlas-labels-acquired", "p/atlas/labels-acquired.nii.gz")
                .containsEntry("atlas-labels-acquired.ctbl", "p/atlas/labels-acquired.ctbl");
        assertThat(objects).hasSize(11);
    }
}
