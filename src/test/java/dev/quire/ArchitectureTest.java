package dev.quire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
  * Package boundaries of README.md "Repository layout" (a pure core, thin edges), checked as JabRef's ArchitectureTest does.
  * {@code allowEmptyShould} lets a rule pass while its packages are still empty (they arrive in issues 5-8).
  */
@AnalyzeClasses(packages = "dev.quire", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreDoesNoIoAndNoUi =
            noClasses()
                    .that()
                    .resideInAnyPackage("dev.quire.crdt..", "dev.quire.protocol..", "dev.quire.session..", "dev.quire.sync..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("javafx..", "java.sql..", "java.net..", "org.java_websocket..")
                    .because(
                            "the core is pure logic tested without threads, sockets or a database;"
                                    + " JDBC lives in store, sockets in net, JavaFX in ui")
                    .allowEmptyShould(true);

    @ArchTest
    static final ArchRule onlyUiUsesJavaFx =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("dev.quire.ui..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("javafx..")
                    .because("JavaFX and its FX thread stay in ui, so everything else runs headless in tests and the CLI")
                    .allowEmptyShould(true);
}
