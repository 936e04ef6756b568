package org.triplane.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneLayout;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.plane.PlaneStack;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane planes}: cut a one-byte volume into the three planes' slice stacks, for inspection. */
@Command(name = "planes", mixinStandardHelpOptions = true,
        description = "Cut a uint8 volume (e.g. the output of 'window') into axial, coronal and sagittal slice "
                + "stacks chosen from its direction cosines, each slice padded to a multiple of 2^depth. Writes "
                + "DIR/<plane>.nii.gz with voxels (column, row, slice) and prints the layouts as JSON.")
final class PlanesCommand implements Callable<Integer> {
    @Option(names = "--depth", paramLabel = "D", description = "U-Net depth the slices must fit (default: ${DEFAULT-VALUE})")
    int depth = 5;

    @Parameters(index = "0", paramLabel = "IN", description = "uint8 NIfTI volume")
    Path in;

    @Parameters(index = "1", paramLabel = "DIR", description = "output folder")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Volume volume = NiftiReader.read(in);
        List<Object> layouts = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            PlaneStack stack = PlaneSlicer.slice(volume, plane, depth, (byte) 0);
            PlaneLayout l = stack.layout();
            // why: a stack viewed as a volume of (column, row, slice) pixels with unit spacing
            Geometry g = Geometry.axisAligned(l.paddedWidth(), l.paddedHeight(), l.slices(),
                    new double[] {1, 1, 1}, new double[3]);
            Path file = dir.resolve(plane.name().toLowerCase(Locale.ROOT) + ".nii.gz");
            NiftiWriter.write(new Volume(g, new VoxelBuffer.UInt8(stack.data())), file);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("plane", plane.name().toLowerCase(Locale.ROOT));
            m.put("file", file.toString());
            m.put("slices", l.slices());
            m.put("height", l.height());
            m.put("width", l.width());
            m.put("paddedHeight", l.paddedHeight());
            m.put("paddedWidth", l.paddedWidth());
            m.put("sliceArrayAxis", l.sliceAxis());
            layouts.add(m);
        }
        System.out.println(Json.render(layouts));
        return 0;
    }
}
