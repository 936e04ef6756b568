package org.triplane.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.nifti.NiftiFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.Geometry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code triplane info FILE}: the header as ITK reads it, as one JSON object. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a NIfTI file's geometry as one JSON object: dims [nx,ny,nz], spacing (mm), "
                + "origin (LPS mm), direction (row-major, LPS), datatype.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "NIfTI-1 file (.nii or .nii.gz)")
    Path file;

    @Override
    public Integer call() throws Exception {
        // why: reading the voxels too checks the data is all there, part of "is this file usable"
        NiftiFile f = NiftiReader.readWithHeader(file).header();
        System.out.println(Json.render(describe(f)));
        return 0;
    }

    static Map<String, Object> describe(NiftiFile f) {
        Geometry g = f.geometry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.file().toString());
        m.put("dims", g.dims());
        m.put("spacing", g.spacing());
        m.put("origin", g.origin());
        m.put("direction", g.direction());
        m.put("datatype", f.storedType().label());
        m.put("valueType", f.valueType().label());
        m.put("sclSlope", f.slope());
        m.put("sclInter", f.intercept());
        m.put("orientationFrom", f.orientation());
        m.put("byteOrder", f.byteOrder().toString().equals("BIG_ENDIAN") ? "big-endian" : "little-endian");
        m.put("compressed", f.compressed());
        return m;
    }
}
