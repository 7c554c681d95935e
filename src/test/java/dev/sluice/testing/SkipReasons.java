package dev.sluice.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says why each test that did not run was skipped, in the build's output: Surefire and Failsafe
 * count skipped tests but print no reason, and a test skipped for lack of a tool (Prometheus, Redis,
 * kubectl, Chromium) must not look like one that passed. Registered for every test run through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkipReasons implements TestExecutionListener {
    private final List<String> skipped = new ArrayList<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        report(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            report(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (!skipped.isEmpty()) {
            StringBuilder summary = new StringBuilder("\n[SKIPPED] " + skipped.size() + " not run, and why:\n");
            skipped.forEach(line -> summary.append("[SKIPPED]   ").append(line).append('\n'));
            System.out.print(summary);
            System.out.flush();
        }
    }

    private synchronized void report(TestIdentifier test, String reason) {
        String line = test.getDisplayName() + " (" + test.getUniqueId().replaceAll(".*\\[class:([^\\]]*)\\].*", "$1")
                + "): " + reason;
        skipped.add(line);
        System.out.println("[SKIPPED] " + line);
    }
}
