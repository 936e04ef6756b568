package org.triplane.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.triplane.gateway.report.OverlayRenderer;
import org.triplane.gateway.report.ReportService;
import org.triplane.gateway.report.ReportTokens;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.imaging.plane.Plane;

/**
 * Report pages and their overlay images for a browser, which cannot send {@code X-Api-Key}: each
 * request carries the signed token of {@code /api/v1/jobs/{id}/report/link} instead (403 without
 * a valid one). The page allows only this gateway's own scripts, styles and images.
 */
@Path("/reports")
public class ReportResource {

    @Inject
    ReportTokens tokens;

    @Inject
    ReportService reports;

    @GET
    @Path("/{jobId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A SUCCEEDED job's report, opened with a signed token (403 without one, 409 for another state)")
    public Response report(@RestPath UUID jobId, @RestQuery String token) {
        UUID tenant = tokens.verify(token, jobId);
        return page(reports.page(tenant, jobId, token));
    }

    @GET
    @Path("/{jobId}/scans/{scanId}/overlays/{plane}/{index}.png")
    @Produces("image/png")
    @Operation(summary = "One overlay image of a report: fused labels over the CT (plane axial, coronal or sagittal; index 0..2)")
    public Response overlay(@RestPath UUID jobId, @RestPath UUID scanId, @RestPath String plane, @RestPath int index,
                            @RestQuery String token) {
        UUID tenant = tokens.verify(token, jobId);
        Plane p;
        try {
            p = Plane.fromWireName(plane);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.notFound("plane", "no plane '" + plane + "': axial, coronal or sagittal");
        }
        OverlayRenderer.Overlay o = reports.overlay(tenant, jobId, scanId, p, index);
        return Response.ok(o.png(), "image/png")
                // why: a finished job's results never change, so the image never does
                .header("Cache-Control", "private, max-age=3600, immutable")
                .header("X-Slice-Index", o.slice())
                .build();
    }

    @GET
    @Path("/labels.css")
    @Produces("text/css")
    @Operation(summary = "The label colours of the reports as a style sheet (no tenant data)")
    public Response labelsCss() {
        return Response.ok(reports.labelsCss(), "text/css; charset=utf-8").header("Cache-Control", "max-age=3600").build();
    }

    static Response page(ReportService.Page page) {
        return Response.ok(page.html(), MediaType.TEXT_HTML + "; charset=utf-8")
                .header("Content-Security-Policy", page.contentSecurityPolicy())
                .header("Cache-Control", "private, no-store")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
