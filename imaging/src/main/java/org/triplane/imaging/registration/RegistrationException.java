package org.triplane.imaging.registration;

/**
 * A registration that cannot be trusted: the volume is not a head CT the template can be fitted
 * to, or the fit is poor. The message names the scan, the quality figure (NCC, or why none could
 * be computed) and the reason; nothing is returned that could be used silently.
 */
public final class RegistrationException extends Exception {
    private final String scan;
    private final double quality;
    private final String reason;

    public RegistrationException(String scan, double quality, String reason) {
        super("registration of " + scan + " refused: quality (NCC) "
                + (Double.isNaN(quality) ? "not computable" : String.format(java.util.Locale.ROOT, "%.3f", quality))
                + "; " + reason);
        this.scan = scan;
        this.quality = quality;
        this.reason = reason;
    }

    /** The scan's name as given to the registration (usually its file). */
    public String scan() {
        return scan;
    }

    /** The quality figure reached (NCC in −1..1), NaN when none could be computed. */
    public double quality() {
        return quality;
    }

    public String reason() {
        return reason;
    }
}
