package dev.sluice.audit.http;

import dev.sluice.audit.AuditFilter;
import dev.sluice.audit.store.AuditReview;
import dev.sluice.domain.Json;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The audit export as a download, for every door (the API and the console): the filtered events
 * streamed as CSV or NDJSON, oldest first as the filter orders them, without holding them in memory.
 */
public final class AuditExport {
    private AuditExport() {}

    public static Response download(AuditReview review, AuditFilter filter, boolean csv) {
        StreamingOutput body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            if (csv) {
                writer.write(AuditReview.CSV_HEADER);
                writer.write("\r\n");
            }
            try {
                review.stream(filter, 0, e -> {
                    try {
                        writer.write(csv ? AuditReview.csv(e) : Json.mapper().writeValueAsString(e));
                        writer.write(csv ? "\r\n" : "\n");
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
        };
        return Response.ok(body, csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"sluice-audit." + (csv ? "csv" : "ndjson") + "\"")
                .build();
    }
}
