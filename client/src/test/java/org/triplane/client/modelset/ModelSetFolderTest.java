package org.triplane.client.modelset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSetFolderTest {

    @TempDir
    Path dir;

    private Map<String, Path> weights() throws IOException {
        Map<String, Path> w = new LinkedHashMap<>();
        for (String plane : ModelSetFolder.PLANES) {
            w.put(plane, Files.write(dir.resolve("trained-" + plane + ".bin"), ("weights of " + plane)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return w;
    }

    private static ModelSetFolder.Manifest manifest() {
        List<ModelSetFolder.PlaneModel> planes = new ArrayList<>();
        for (String plane : ModelSetFolder.PLANES) {
            planes.add(new ModelSetFolder.PlaneModel(plane, "unet", 42, "{\"preset\":\"tiny\",\"inputs\":\"atlas\"}",
                    List.of(2.0, 2.0, 2.0), List.of(80, 64), List.of("7b0c2f0e-0000-0000-0000-000000000001"),
                    List.of("a".repeat(64)), "abc1234", 61.5, "{\"meanIoU\":0.7}", null));
        }
        return new ModelSetFolder.Manifest("triplane-default", "MAJORITY_2_OF_3", "abc1234", "2026-12-04T10:00:00Z",
                "{\"command\":\"./triplane demo\",\"seeds\":{\"phantom\":1,\"training\":42}}", "{\"fusedMeanIoU\":0.77}",
                "{}", planes);
    }

    @Test
    void whatIsWrittenReadsBackWithItsChecksumAndTheSameContentHasTheSameChecksum() throws IOException {
        Path folder = dir.resolve("default");
        ModelSetFolder.Folder written = ModelSetFolder.write(folder, manifest(), weights(), null);
        ModelSetFolder.Folder read = ModelSetFolder.read(folder);

        assertEquals(written.sha256(), read.sha256());
        assertEquals(ModelSetFolder.sha256(folder.resolve("model-set.json")), read.sha256());
        assertEquals("triplane-default", read.manifest().name());
        assertEquals("abc1234", read.manifest().codeVersion());
        assertTrue(read.manifest().trainingJson().contains("\"phantom\":1"));
        assertTrue(read.manifest().metricsJson().contains("0.77"));
        ModelSetFolder.PlaneModel coronal = read.manifest().planes().get(1);
        assertEquals("coronal", coronal.plane());
        assertEquals(List.of(80, 64), coronal.sliceSize());
        assertEquals(ModelSetFolder.sha256(folder.resolve("coronal.params")), coronal.weightsSha256());
        assertEquals("{\"preset\":\"tiny\",\"inputs\":\"atlas\"}", coronal.hyperParametersJson());

        ModelSetFolder.Folder again = ModelSetFolder.write(folder, read.manifest(), read.weights(), null);
        assertEquals(read.sha256(), again.sha256());
    }

    @Test
    void anAbsentFolderOrManifestIsNoModelSet() throws IOException {
        assertTrue(ModelSetFolder.readIfPresent(dir.resolve("nowhere")).isEmpty());
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(ModelSetFolder.readIfPresent(dir.resolve("empty")).isEmpty());
    }

    @Test
    void aMissingOrAlteredWeightsFileIsNamed() throws IOException {
        Path folder = dir.resolve("default");
        ModelSetFolder.write(folder, manifest(), weights(), null);
        Files.writeString(folder.resolve("sagittal.params"), "something else");
        var altered = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class, () -> ModelSetFolder.read(folder));
        assertTrue(altered.getMessage().contains("sagittal.params has SHA-256"), altered.getMessage());

        Files.delete(folder.resolve("axial.params"));
        var missing = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class,
                () -> ModelSetFolder.readIfPresent(folder));
        assertTrue(missing.getMessage().contains("axial.params is missing"), missing.getMessage());
    }

    @Test
    void aMalformedManifestNamesTheFileAndTheField() throws IOException {
        Path folder = dir.resolve("default");
        ModelSetFolder.write(folder, manifest(), weights(), null);
        Path manifest = folder.resolve("model-set.json");
        String good = Files.readString(manifest);

        Files.writeString(manifest, good.replace("\"codeVersion\" : \"abc1234\",\n  \"createdAt\"", "\"createdAt\""));
        var noVersion = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class, () -> ModelSetFolder.read(folder));
        assertEquals(manifest + ": field codeVersion is missing", noVersion.getMessage());

        Files.writeString(manifest, good.replace("\"format\" : 1", "\"format\" : 2"));
        var format = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class, () -> ModelSetFolder.read(folder));
        assertTrue(format.getMessage().contains("field format is 2"), format.getMessage());

        Files.writeString(manifest, good.replace("\"sliceSize\" : [ 80, 64 ]", "\"sliceSize\" : [ 80 ]"));
        var slice = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class, () -> ModelSetFolder.read(folder));
        assertTrue(slice.getMessage().contains("field planes.axial.sliceSize must hold 2 positive numbers"), slice.getMessage());

        Files.writeString(manifest, "{ not json");
        var json = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class, () -> ModelSetFolder.read(folder));
        assertTrue(json.getMessage().startsWith(manifest + " is not valid JSON"), json.getMessage());
    }

    private static FusionWeightsDocument fusionWeights(double atlas) {
        java.util.Map<String, List<Double>> w = new LinkedHashMap<>();
        java.util.Map<String, Double> members = new LinkedHashMap<>();
        for (String m : List.of("axial", "coronal", "sagittal", "atlas")) {
            w.put(m, java.util.Collections.nCopies(21, m.equals("atlas") ? atlas : 1.0));
            members.put(m, 0.8);
        }
        return new FusionWeightsDocument(w, java.util.UUID.randomUUID(), List.of(java.util.UUID.randomUUID()), 0.85, 0.82,
                members);
    }

    @Test
    void fusionWeightsArePinnedByTheManifestAndOtherWeightsMakeAnotherSet() throws IOException {
        Path folder = dir.resolve("default");
        ModelSetFolder.Folder without = ModelSetFolder.write(folder, manifest(), weights(), null);
        assertTrue(without.fusionWeightsDocument().isEmpty());
        FusionWeightsDocument shipped = fusionWeights(2.5);

        ModelSetFolder.Folder with = ModelSetFolder.write(folder, manifest(), weights(), shipped);
        ModelSetFolder.Folder read = ModelSetFolder.read(folder);
        assertEquals(folder.resolve(FusionWeightsDocument.FILE), read.fusionWeights());
        assertEquals(shipped, read.fusionWeightsDocument().orElseThrow());
        assertEquals(with.sha256(), read.sha256());
        assertTrue(!with.sha256().equals(without.sha256()), "the manifest pins the fusion weights");
        assertTrue(!ModelSetFolder.write(folder, manifest(), weights(), fusionWeights(3)).sha256().equals(with.sha256()));

        Files.writeString(folder.resolve(FusionWeightsDocument.FILE), "{}");
        var altered = assertThrows(ModelSetFolder.InvalidModelSetFolderException.class, () -> ModelSetFolder.read(folder));
        assertTrue(altered.getMessage().contains("fusion-weights.json has SHA-256"), altered.getMessage());

        // a set without fusion weights exported over one with them leaves no stale file behind
        ModelSetFolder.write(folder, manifest(), weights(), null);
        assertTrue(Files.notExists(folder.resolve(FusionWeightsDocument.FILE)));
        assertEquals(without.sha256(), ModelSetFolder.read(folder).sha256());
    }
}
