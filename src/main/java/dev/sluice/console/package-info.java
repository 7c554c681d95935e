/**
 * The operator console's pure part: what a page shows of a run (waiting for a human first, the
 * stage ladder, waves, gates as sentences), and what an action would do before it is done. Plain
 * Java, like every domain's root; the pages, sessions and forms are the shell in {@code http}.
 */
package dev.sluice.console;
