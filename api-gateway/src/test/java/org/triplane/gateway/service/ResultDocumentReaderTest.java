package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.results.FusedResult;
import org.triplane.imaging.metrics.EvaluationDocument;

/** Stored result documents read into their types, and what is refused naming the scan. */
class ResultDocumentReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID SCAN = UUID.fromString("00000000-0000-0000-0000-0000000000c5");

    private static FusedResult result(String regionStatistics, String evaluation) {
        return new FusedResult(UUID.randomUUID(), UUID.randomUUID(), SCAN, null, "f/a.nii.gz", "f/r.nii.gz", "{}",
                "majority", regionStatistics, evaluation, null);
    }

    @Test
    void aScanWithoutReferenceLabelsHasNoEvaluation() {
        assertThat(ResultDocumentReader.evaluation(result("{}", null), JSON)).isEmpty();
    }

    @Test
    void aFieldAddedByANewerWriterIsPassedOver() {
        EvaluationDocument e = ResultDocumentReader.evaluation(result("{}",
                "{\"grid\":\"rotated\",\"voxelMl\":0.5,\"predictions\":{\"fused\":{\"meanIoU\":0.25,\"hausdorffMm\":3}},"
                        + "\"addedLater\":1}"), JSON).orElseThrow();
        assertThat(e.prediction(EvaluationDocument.FUSED).orElseThrow().meanIoU()).isEqualTo(0.25);
        assertThat(ResultDocumentReader.regionStatistics(result("{\"grid\":\"acquired\",\"addedLater\":true}", null), JSON)
                .regions()).isEmpty();
    }

    @Test
    void aMalformedConfusionMatrixIsRefusedNamingTheScanAndThePrediction() {
        assertThatThrownBy(() -> ResultDocumentReader.evaluation(result("{}",
                "{\"predictions\":{\"axial\":{\"confusion\":[[1,2],[3,4]]}}}"), JSON))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("evaluation of scan " + SCAN + ", prediction axial: a confusion matrix has 21 rows, got 2");
    }

    @Test
    void planeKeysThatAreNotObjectKeysAreRefusedNamingTheScan() {
        FusedResult r = new FusedResult(UUID.randomUUID(), UUID.randomUUID(), SCAN, null, "f/a.nii.gz", "f/r.nii.gz",
                "{\"axial\": {\"labels\": 3}}", "majority", "{}", null, null);
        assertThatThrownBy(() -> ResultDocumentReader.objectKeys(r, JSON)).isInstanceOf(IllegalStateException.class)
                .hasMessage("plane keys of scan " + SCAN + ": axial.labels: an object key is a string, got 3");
    }

    @Test
    void textThatIsNotTheDocumentIsRefusedNamingTheScan() {
        assertThatThrownBy(() -> ResultDocumentReader.regionStatistics(result("{\"regions\": 7}", null), JSON))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("region statistics of scan " + SCAN + " cannot be read as its JSON document: ");
        assertThatThrownBy(() -> ResultDocumentReader.evaluation(result("{}", "not json"), JSON))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("evaluation of scan " + SCAN + " cannot be read as its JSON document: ");
    }
}
