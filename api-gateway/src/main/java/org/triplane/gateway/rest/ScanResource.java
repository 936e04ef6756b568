package org.triplane.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.triplane.db.scans.Scan;
import org.triplane.gateway.service.DicomConversion;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.gateway.service.ScanDeletionService;
import org.triplane.gateway.service.ScanService;
import org.triplane.gateway.service.UploadedPart;

/** Upload, describe and download scans. Every call acts for the tenant of {@code X-Api-Key}. */
@Path("/api/v1/scans")
@ActsForTenant
@SecurityRequirement(name = ProblemResponses.API_KEY_SCHEME)
public class ScanResource {

    @Inject
    CallingTenant caller;

    @Inject
    ScanService scans;

    @Inject
    DicomConversion dicomConversion;

    @Inject
    ScanDeletionService deletions;

    /**
     * Multipart upload; parts {@code ct} (NIfTI-1 {@code .nii} / {@code .nii.gz}, HU), optional
     * {@code transform} (ITK transform text, a rotation; without it the preprocess-worker derives the
     * rotation from the atlas registration) and optional {@code labels} (NIfTI, 0..20 on the CT grid).
     * Parts arrive as temporary files (streamed by the HTTP layer, removed after the request); NIfTI
     * parts are stored de-identified when the tenant's setting says so.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a scan", description = "Parts: ct (NIfTI-1, HU; required), transform (ITK transform "
            + "file, a rotation; optional: without it the preprocess-worker registers the atlas to the scan and uses "
            + "the rotation it finds, recorded with transformOrigin 'derived' and downloadable like an uploaded one), "
            + "labels (NIfTI 0..20 on the CT grid; optional). Validated before anything is stored, in memory that does "
            + "not grow with the scan; 400 (a problem naming the part) otherwise, 413 when a NIfTI part's header declares "
            + "more than the limits (triplane.upload.max-voxels, max-bytes, max-inflation-ratio: by default 2^28 voxels, "
            + "1 GiB uncompressed, 600:1), refused before any voxel is inflated. De-identification (the tenant's setting, "
            + "on unless an administrator turned it off): the ct and labels are stored with their free-text header fields "
            + "(descrip, aux_file, intent_name, data_type, db_name) zeroed and their NIfTI extensions dropped (extension "
            + "flag 0, vox_offset 352); voxel bytes and every other header field, hence the geometry, are stored as "
            + "uploaded. Without it they are stored as uploaded. Either way NIfTI parts are stored gzip-compressed. The "
            + "answer's ct, transform and labels give key, SHA-256 and size of the stored objects; upload.ctSha256 and "
            + "upload.labelsSha256 the SHA-256 of the parts as uploaded, upload.deidentified which of the two was done. The "
            + "whole request is at most 1 GiB, a transform part 1 MiB; a missing or unknown X-Api-Key is answered 401 "
            + "before any of the body is read. Instead of ct, a part dicom may hold one CT series as a zip of uncompressed "
            + "DICOM files (Implicit or Explicit VR Little Endian): converted here to the NIfTI file the command line "
            + "would upload (HU, the series' grid; no other attribute of the files is kept) and stored as the ct; a zip "
            + "that is not one axial CT series is refused 400 (problem, part dicom) naming the entry and the reason, "
            + "413 over the limits above.")
    public Response upload(@RestForm("ct") FileUpload ct,
                           @RestForm("transform") FileUpload transform, @RestForm("labels") FileUpload labels,
                           @RestForm(DicomConversion.PART) FileUpload dicom) {
        UUID tenant = caller.id();
        if (dicom != null && ct != null) {
            throw RequestRejected.badRequest(DicomConversion.PART, "send the scan either as ct (NIfTI) or as dicom (a zip), not both");
        }
        java.nio.file.Path converted = dicom == null ? null : dicomConversion.toNifti(UploadedPart.of(DicomConversion.PART, file(dicom)).file());
        try {
            UploadedPart ctPart = UploadedPart.of("ct", converted != null ? converted : file(ct));
            UploadedPart transformPart = transform == null ? null : UploadedPart.of("transform", file(transform));
            UploadedPart labelsPart = labels == null ? null : UploadedPart.of("labels", file(labels));
            Scan scan = scans.upload(tenant, ctPart, transformPart, labelsPart);
            return Response.created(URI.create("/api/v1/scans/" + scan.id())).entity(ScanResponse.of(scan)).build();
        } finally {
            if (converted != null) {
                try {
                    java.nio.file.Files.deleteIfExists(converted);
                } catch (java.io.IOException e) {
                    // why not fail: the scan is stored (or refused) already; a left-over temporary file holds no identifier
                }
            }
        }
    }

    private static java.nio.file.Path file(FileUpload upload) {
        return upload == null ? null : upload.uploadedFile();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's scans, newest first; with ctSha256 only those whose CT has that SHA-256",
            description = "ctSha256: 64 hex digits, any case, matched against both the checksum of the CT file as "
                    + "uploaded (upload.ctSha256: what a client computes from the file it holds, so it can skip "
                    + "uploading a scan already there) and that of the stored CT object (ct.sha256, which differs when "
                    + "the CT was de-identified or compressed before it was stored). Paged by cursor: limit 1..1000 rows a page "
                    + "(default 100), ordered by creation time then id; unless it is the last page, the Link header's "
                    + "rel=\"next\" is the next page's request (with an opaque cursor).")
    @APIResponse(responseCode = "200", description = "one page, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ScanResponse.class)),
            headers = @Header(name = "Link", description = "<the next page's request>; rel=\"next\", absent on the last page",
                    schema = @Schema(type = SchemaType.STRING)))
    public Response list(@RestQuery String ctSha256, @RestQuery Integer limit, @RestQuery String cursor,
                         @Context UriInfo request) {
        UUID tenant = caller.id();
        return Paging.answer(scans.list(tenant, ctSha256, Paging.position(cursor), Paging.limit(limit)), ScanResponse::of,
                request);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe a scan")
    public ScanResponse get(@RestPath UUID id) {
        UUID tenant = caller.id();
        return scans.findWithRegistration(tenant, id).map(f -> ScanResponse.of(f.scan(), f.registration()))
                .orElseThrow(() -> RequestRejected.notFound("id", "scan " + id + " not found"));
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete a scan and everything derived from it",
            description = "For the retention of patient data: the scan's objects (as uploaded, its preprocessing and "
                    + "registration outputs, every job's results for it with their viewer tables and report images) are "
                    + "removed from the object store, and its rows (the scan, its registration, its rows in jobs, tasks, "
                    + "results and metrics) from the database; the jobs themselves and their transitions stay. 200 with the "
                    + "deletion record, which stays: who, when, the scan's checksums, the jobs it was part of, and the "
                    + "key, SHA-256 and size of every object removed. 409 naming id while a SUBMITTED or RUNNING job uses "
                    + "the scan (cancel it first); 404 for an unknown scan, and for one deleted before (the detail says "
                    + "when and by whom).")
    @APIResponse(responseCode = "200", description = "the deletion record")
    @APIResponse(responseCode = "409", description = "an unfinished job uses the scan")
    public ScanDeletionResponse delete(@RestPath UUID id) {
        UUID tenant = caller.id();
        return deletions.delete(tenant, id, caller.requester()).map(ScanDeletionResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("id", deletions.deletion(tenant, id)
                        .map(d -> "scan " + id + " was deleted at " + d.deletedAt() + " by " + d.deletedBy())
                        .orElse("scan " + id + " not found")));
    }

    @GET
    @Path("/{id}/objects/{part}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download one object of a scan (ct, transform or labels), streamed",
            description = "transform: the uploaded transform file, or the one the preprocess-worker derived for a scan "
                    + "uploaded without one (404 until it is preprocessed); the scan's transformOrigin says which.")
    public Response download(@RestPath UUID id, @RestPath String part) {
        UUID tenant = caller.id();
        ScanService.Part which = ScanService.Part.fromWireName(part)
                .orElseThrow(() -> RequestRejected.notFound("part", "no object '" + part + "' (ct, transform or labels)"));
        InputStream in = scans.open(tenant, id, which)
                .orElseThrow(() -> RequestRejected.notFound("id", "scan " + id + " has no " + part + " object"));
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + id + "-" + part + "\"")
                .build();
    }
}
