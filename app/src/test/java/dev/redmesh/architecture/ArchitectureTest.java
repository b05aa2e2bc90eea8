package dev.redmesh.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph as docs/architecture.md draws it: no cycles between features, and the layers
 * that must run anywhere — the sync engine, the Redis helpers, the process and loop helpers — free
 * of Spring, of JPA and of every control-plane package.
 */
class ArchitectureTest {

    private static final String[] SPRING_AND_JPA = {"org.springframework..", "jakarta.persistence..", "org.hibernate.."};
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.redmesh");
    }

    @Test
    void featuresFormNoCycle() {
        slices().matching("dev.redmesh.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void theEngineAndTheRedisHelpersKnowNothingOfSpringOrJpa() {
        noClasses().that().resideInAnyPackage("dev.redmesh.sync..", "dev.redmesh.redis..", "dev.redmesh.lifecycle..",
                        "dev.redmesh.localprocess..", "dev.redmesh.localredis..")
                .should().dependOnClassesThat().resideInAnyPackage(SPRING_AND_JPA)
                .check(production);
    }

    @Test
    void theEngineImportsNothingOfTheControlPlane() {
        classes().that().resideInAPackage("dev.redmesh.sync..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.redmesh.sync..", "dev.redmesh.redis..",
                        "java..", "javax.net..", "io.lettuce..", "io.netty..", "com.moilioncircle..", "org.slf4j..", "reactor..",
                        "org.jspecify..")
                .check(production);
    }

    @Test
    void theRedisHelpersStandOnNothingOfRedmeshButThemselves() {
        classes().that().resideInAPackage("dev.redmesh.redis..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.redmesh.redis..", "java..", "javax.net..",
                        "io.lettuce..", "io.netty..", "reactor..", "org.slf4j..")
                .check(production);
    }
}
