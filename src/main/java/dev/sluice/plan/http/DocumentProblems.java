package dev.sluice.plan.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.PlanFormat;
import dev.sluice.plan.PlanLimits;
import dev.sluice.plan.PlanParseException;
import dev.sluice.plan.PlanTooLargeException;
import dev.sluice.plan.Violation;
import java.io.InputStream;
import java.util.List;

/**
 * Reading a request body as a document (a plan, a simulation scenario) and the problems that
 * answer a bad one: 413 too large, 400 malformed (with pointer, line and column), 400 invalid
 * (every violation, each with pointer and rule). One place, so every document endpoint answers alike.
 */
public final class DocumentProblems {
    private DocumentProblems() {}

    /** The body's bytes, at most {@link PlanLimits#MAX_BODY_BYTES} of them (413 problem beyond). */
    public static byte[] bytes(InputStream body) {
        try {
            return PlanCodec.readLimited(body);
        } catch (PlanTooLargeException e) {
            throw tooLarge(e);
        }
    }

    /**
     * Reads the body strictly ({@link PlanCodec#readDocument}) in the format its media type names.
     *
     * @param kind the document's kind for problem types and titles: "plan" gives {@code malformed-plan}
     */
    public static <T> T read(String contentType, InputStream body, Class<T> type, String kind) {
        return read(contentType, bytes(body), type, kind);
    }

    public static <T> T read(String contentType, byte[] body, Class<T> type, String kind) {
        PlanFormat format = PlanFormat.ofMediaType(contentType).orElse(PlanFormat.JSON);
        try {
            return PlanCodec.readDocument(body, format, type, "a " + kind);
        } catch (PlanTooLargeException e) {
            throw tooLarge(e);
        } catch (PlanParseException e) {
            String where = e.line() > 0 ? " at line " + e.line() + ", column " + e.column() : "";
            String pointer = e.pointer().isEmpty() ? "" : " (" + e.pointer() + ")";
            throw new ProblemException(Problem.of(
                            400,
                            "malformed-" + slug(kind),
                            "Malformed " + kind,
                            "the " + format.name() + " document could not be read" + where + pointer + ": "
                                    + e.getMessage())
                    .with("pointer", e.pointer())
                    .with("line", e.line())
                    .with("column", e.column()));
        }
    }

    private static ProblemException tooLarge(PlanTooLargeException e) {
        return new ProblemException(Problem.of(413, "too-large", "Payload too large", e.getMessage())
                .with("limitBytes", PlanLimits.MAX_BODY_BYTES));
    }

    /** 400 {@code invalid-KIND} listing every violation; the detail names the first. */
    public static ProblemException invalid(String kind, List<Violation> violations) {
        Violation first = violations.get(0);
        String detail = violations.size() == 1
                ? first.pointer() + ": " + first.message()
                : violations.size() + " violations, the first: " + first.pointer() + ": " + first.message();
        return new ProblemException(Problem.of(400, "invalid-" + slug(kind), "Invalid " + kind, detail)
                .with("violations", violations));
    }

    private static String slug(String kind) {
        return kind.replace(' ', '-');
    }
}
