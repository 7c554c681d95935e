package dev.sluice.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Text Sluice accepts never holds a NUL character (U+0000): PostgreSQL stores neither it in
 * {@code text} nor {@code \u0000} in {@code jsonb}, so such text is refused where it arrives (a
 * request body, a plan document, a query or path parameter), naming where it was, instead of
 * failing at the database.
 */
public final class NulFreeText {
    /** The rule a violation names. */
    public static final String RULE = "no-nul";

    public static final String MESSAGE = "must not contain a NUL character (U+0000)";

    private NulFreeText() {}

    public static boolean containsNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** A Jackson module whose string reader refuses NUL characters with {@link NulCharacterException}. */
    public static Module module() {
        return new SimpleModule("nul-free-text").addDeserializer(String.class, new Strings());
    }

    /** A string in a document held a NUL character; Jackson adds where ({@link #getPath()}). */
    public static final class NulCharacterException extends MismatchedInputException {
        NulCharacterException(JsonParser parser) {
            super(parser, MESSAGE, String.class);
        }
    }

    private static final class Strings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (containsNul(value)) {
                throw new NulCharacterException(p);
            }
            return value;
        }
    }
}
