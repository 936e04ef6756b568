package org.triplane.segmentation.infer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.segmentation.data.ModelGrid;

/**
 * The model set that ships in the repository ({@code models/default}: {@code model-set.json} beside one
 * {@code <plane>.params} per plane), read as far as inference needs it: each plane's weights and the
 * model grid it was trained on. Read with Gson, the JSON library DJL's API brings along.
 */
final class ShippedModels {
    static final Path FOLDER = Path.of("..", "models", "default");

    private ShippedModels() {
    }

    /** The weights file of {@code plane} ({@code axial}, {@code coronal}, {@code sagittal}). */
    static Path weights(String plane) throws IOException {
        return FOLDER.resolve(planeEntry(plane).get("weights").getAsString());
    }

    /** The model grid {@code plane}'s network was trained on, from its hyper-parameters. */
    static ModelGrid grid(String plane) throws IOException {
        JsonObject grid = planeEntry(plane).getAsJsonObject("hyperParameters").getAsJsonObject("grid");
        Map<String, Object> map = new LinkedHashMap<>();
        grid.entrySet().forEach(e -> map.put(e.getKey(), e.getValue().getAsDouble()));
        return ModelGrid.fromMap(map);
    }

    private static JsonObject planeEntry(String plane) throws IOException {
        Path manifest = FOLDER.resolve("model-set.json");
        JsonObject planes = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject().getAsJsonObject("planes");
        if (planes == null || !planes.has(plane)) {
            throw new IllegalStateException(manifest.toAbsolutePath() + " has no \"planes\"." + plane + " entry");
        }
        return planes.getAsJsonObject(plane);
    }
}
