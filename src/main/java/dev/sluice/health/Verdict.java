package dev.sluice.health;

/** What one evaluation of a gate found. Unknown is never treated as green. */
public enum Verdict {
    GREEN,
    RED,
    UNKNOWN
}
