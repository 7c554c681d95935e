package dev.sluice.plan;

/**
 * A plan document could not be read: not well-formed, a value of the wrong type, an unknown field.
 * Says where: a JSON pointer when the structure was understood that far, and line and column.
 */
public class PlanParseException extends RuntimeException {
    private final String pointer;
    private final int line;
    private final int column;

    public PlanParseException(String message, String pointer, int line, int column) {
        super(message);
        this.pointer = pointer;
        this.line = line;
        this.column = column;
    }

    /** JSON pointer of the value being read when reading failed; "" for the document itself. */
    public String pointer() {
        return pointer;
    }

    /** 1-based line, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or -1 when unknown. */
    public int column() {
        return column;
    }
}
