package org.triplane.segmentation.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One U-Net weights file: a header naming the architecture and its {@link UNetConfig}, then DJL's
 * parameter encoding of every weight (float32, exact). Written to a temporary file beside the
 * target and moved into place, so a reader never sees half a file.
 */
public final class ModelFiles {
    private static final String MAGIC = "TRIPLANE-UNET";
    private static final int FORMAT = 1;

    private ModelFiles() {
    }

    /**
     * Writes the weights of an initialised network to {@code file} (parent folders are created).
     *
     * @throws IllegalStateException if the network has not been initialised
     */
    public static void save(UNet net, Path file) throws IOException {
        if (!net.isInitialized()) {
            throw new IllegalStateException("cannot save an uninitialised U-Net to " + file);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
                out.writeUTF(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(UNetConfig.ARCHITECTURE);
                writeConfig(out, net.config());
                net.saveParameters(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The configuration recorded in a weights file. */
    public static UNetConfig readConfig(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return readHeader(in, file);
        }
    }

    /**
     * Builds a U-Net for {@code expected} and loads the weights in {@code file} into it; the arrays
     * belong to {@code manager} (and its device). The network is ready for inference; call
     * {@code initialize} with an input shape before training it, which keeps the loaded values.
     *
     * @throws IOException if the file is unreadable, not a weights file, or holds another configuration
     */
    public static UNet load(Path file, UNetConfig expected, NDManager manager) throws IOException {
        try (DataInputStream in = open(file)) {
            UNetConfig stored = readHeader(in, file);
            if (!stored.equals(expected)) {
                throw new IOException("weights file " + file + " holds a U-Net " + stored.describe()
                        + ", expected " + expected.describe());
            }
            UNet net = new UNet(expected);
            net.loadParameters(manager, in);
            return net;
        } catch (MalformedModelException e) {
            throw new IOException("weights file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream is = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(is, 1 << 20));
    }

    private static void writeConfig(DataOutputStream out, UNetConfig c) throws IOException {
        out.writeInt(c.depth());
        out.writeInt(c.baseFilters());
        out.writeDouble(c.dropout());
        out.writeDouble(c.inputNoiseStd());
        out.writeInt(c.inputChannels());
        out.writeInt(c.classes());
    }

    private static UNetConfig readHeader(DataInputStream in, Path file) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            throw new IOException(file + " is not a U-Net weights file: " + e.getMessage(), e);
        }
        if (!MAGIC.equals(magic)) {
            throw new IOException(file + " is not a U-Net weights file (no " + MAGIC + " header)");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(file + " has weights format " + format + ", this build reads " + FORMAT);
        }
        String architecture = in.readUTF();
        if (!UNetConfig.ARCHITECTURE.equals(architecture)) {
            throw new IOException(file + " holds architecture " + architecture + ", this build has "
                    + UNetConfig.ARCHITECTURE);
        }
        try {
            return new UNetConfig(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readInt(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds an invalid configuration: " + e.getMessage(), e);
        }
    }
}
