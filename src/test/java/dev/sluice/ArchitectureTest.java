package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
    static final String[] SHELLS = {"dev.sluice.*.*..", "dev.sluice.api..", "dev.sluice.app..", "dev.sluice.runtime.."};

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
