package dev.quire.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The local store is pure of the server, sockets, JavaFX and the session (issue 6, "Local store"). */
@AnalyzeClasses(packages = "dev.quire.store", importOptions = ImportOption.DoNotIncludeTests.class)
class StoreArchitectureTest {

    @ArchTest
    static final ArchRule storeKnowsNoServerSocketsUiOrSession =
            noClasses()
                    .that()
                    .resideInAPackage("dev.quire.store..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server..", "dev.quire.session..", "dev.quire.sync..",
                            "dev.quire.net..", "dev.quire.ui..", "javafx..", "org.java_websocket..",
                            "java.net.http..")
                    .because("the client's store keeps rows; who sends them, with which token, is decided above it,"
                            + " and the server's storage is a different database");
}
