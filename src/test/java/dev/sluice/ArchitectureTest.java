package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture, as rules the build checks. Each domain keeps its pure core at the package root
 * ({@code dev.sluice.control}, {@code dev.sluice.plan}, …) and its shells in sub-packages named for
 * what they are ({@code store}, {@code http}, {@code run}, {@code source}, {@code replica},
 * {@code cli}). The core is plain Java: records, decisions, allocation, validation, the simulator.
 */
class ArchitectureTest {
    /** Every core package: a domain's root, and the shared kernel {@code domain}. */
    static final String[] CORE = {
        "dev.sluice.access",
        "dev.sluice.admission",
        "dev.sluice.audit",
        // The console's view models and action previews; its pages and sessions are console.http.
        "dev.sluice.console",
        "dev.sluice.control",
        "dev.sluice.domain",
        "dev.sluice.health",
        "dev.sluice.k8s",
        "dev.sluice.notify",
        "dev.sluice.plan",
        "dev.sluice.sim"
    };

    /** Frameworks a core must not see: CDI, JAX-RS, Quarkus, persistence, metrics, config. */
    static final String[] FRAMEWORKS = {
        "jakarta..",
        "io.quarkus..",
        "io.smallrye..",
        "org.hibernate..",
        "io.vertx..",
        "io.micrometer..",
        "org.eclipse.microprofile..",
        "io.agroal..",
        "org.jboss.."
    };

    /**
     * Shell packages: sub-packages of a domain, the HTTP cross-cutting package, the application, and
     * what every shell runs on (background work, start-up settings).
     */
    static final String[] SHELLS = {
        "dev.sluice.*.*..", "dev.sluice.api..", "dev.sluice.app..", "dev.sluice.cli..", "dev.sluice.runtime.."
    };

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice");
    }

    @Test
    void coreUsesNoFrameworkType() {
        coreMayNotUseFrameworks().check(main);
    }

    @Test
    void coreImportsNoShell() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SHELLS)
                .because("a core is called by its shells, never the other way round");
        rule.check(main);
    }

    @Test
    void domainsHaveNoDependencyCycles() {
        slices().matching("dev.sluice.(*)..").should().beFreeOfCycles().check(main);
    }

    /**
     * The client library ({@code client/}, package {@code dev.sluice.client}) is its own artifact for
     * dependents: the JDK and Bucket4j core, nothing of Sluice's server or its frameworks. This build
     * compiles it among the test classes, so its main classes are picked out by its source files.
     */
    @Test
    void theClientLibraryNeedsOnlyTheJdkAndBucket4j() throws java.io.IOException {
        java.util.Set<String> libraryClasses;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("client/src/main/java/dev/sluice/client"))) {
            libraryClasses = files.map(f ->
                            "dev.sluice.client." + f.getFileName().toString().replace(".java", ""))
                    .collect(java.util.stream.Collectors.toSet());
        }
        assertThat(libraryClasses).contains("dev.sluice.client.LeaseLimiter", "dev.sluice.client.PermitLimiter");
        JavaClasses client = new ClassFileImporter().importPackages("dev.sluice.client");
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are the library's own (client/src/main/java)",
                        (com.tngtech.archunit.core.domain.JavaClass c) ->
                                libraryClasses.contains(c.getName().replaceAll("\\$.*", ""))))
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.github.bucket4j..", "dev.sluice.client")
                .because("a dependent adopts the client without taking on Sluice's framework")
                .check(client);
    }

    /**
     * The command line ({@code dev.sluice.cli}) is a client of the REST API: it sees the server only
     * through HTTP, so it uses the JDK, picocli, Jackson and itself, and, for {@code simulate}, the
     * simulator's core (with the one exception its scenario files throw).
     */
    @Test
    void theCommandLineIsAClientOfTheApiNotOfTheServer() {
        commandLineSeesTheServerOnlyOverHttp().check(main);
    }

    @Test
    void theCommandLineRuleCatchesAnImportOfServerInternals() {
        JavaClasses offending = new ClassFileImporter().importClasses(dev.sluice.cli.ReadsTheStoreDirectly.class);
        assertThatThrownBy(() -> commandLineSeesTheServerOnlyOverHttp().check(offending))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.sluice.plan.store.PlanStore");
    }

    static ArchRule commandLineSeesTheServerOnlyOverHttp() {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that()
                .resideInAPackage("dev.sluice.cli..")
                .should()
                .onlyDependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "java..", "picocli..", "com.fasterxml.jackson..", "dev.sluice.cli..", "dev.sluice.sim")
                        .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo(
                                dev.sluice.plan.PlanParseException.class)))
                .because("the command line is a thin client of the REST API; it runs before and without Quarkus");
    }

    static ArchRule coreMayNotUseFrameworks() {
        return noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(FRAMEWORKS)
                .because("the core is plain Java: tested without a container, run by the simulator");
    }
}
