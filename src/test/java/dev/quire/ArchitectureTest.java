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
                    .resideInAnyPackage("dev.quire.crdt..", "dev.quire.protocol..", "dev.quire.session..", "dev.quire.sync..",
                            "dev.quire.markdown..")
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

    @ArchTest
    static final ArchRule coreKnowsNothingOfTheServer =
            noClasses()
                    .that()
                    .resideInAnyPackage("dev.quire.crdt..", "dev.quire.protocol..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server..", "dev.quire.cli..", "org.slf4j..", "io.micrometer..")
                    .because("the document core and the wire protocol are shared by server and client, and stay pure");

    @ArchTest
    static final ArchRule serverDomainHasNoTransport =
            noClasses()
                    .that()
                    .resideInAnyPackage("dev.quire.server.storage..", "dev.quire.server.auth..",
                            "dev.quire.server.access..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server.http..", "dev.quire.server.sync..", "org.java_websocket..",
                            "com.sun.net.httpserver..", "io.micrometer..")
                    .because("storage, auth and access rules are called by both the HTTP API and the sync socket;"
                            + " they know neither, and report outcomes that the adapters turn into codes and metrics");

    @ArchTest
    static final ArchRule theClientDoesNotReachIntoTheServer =
            noClasses()
                    .that()
                    .resideInAnyPackage("dev.quire.engine..", "dev.quire.net..", "dev.quire.store..",
                            "dev.quire.session..", "dev.quire.sync..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server..")
                    .because("the client talks to any Quire server over the wire only, so a team server and the"
                            + " embedded one are the same to it");

    @ArchTest
    static final ArchRule onlyTheEngineWiresTheClient =
            noClasses()
                    .that()
                    .resideInAnyPackage("dev.quire.net..", "dev.quire.store..", "dev.quire.session..",
                            "dev.quire.sync..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.engine..")
                    .because("store, session and connections stay unaware of each other's owner: the engine ties"
                            + " them together");

    @ArchTest
    static final ArchRule theWindowsReachTheServerOnlyThroughTheApp =
            noClasses()
                    .that()
                    .resideInAPackage("dev.quire.ui..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server..", "java.sql..", "org.java_websocket..")
                    .because("windows draw the engine's state and call the engine; the embedded server is started by"
                            + " app.LocalServer, and the database and the sockets are the engine's");

    @ArchTest
    static final ArchRule sharedH2PlumbingKnowsNeitherStore =
            noClasses()
                    .that()
                    .resideInAPackage("dev.quire.h2..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server..", "dev.quire.store..")
                    .because("the server's storage and the client's store share it, and stay unaware of each other");

    @ArchTest
    static final ArchRule storageDoesNotKnowAuthOrAccess =
            noClasses()
                    .that()
                    .resideInAPackage("dev.quire.server.storage..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server.auth..", "dev.quire.server.access..")
                    .because("storage keeps rows; who may do what is decided above it");

    @ArchTest
    static final ArchRule onlySyncUsesJavaWebSocket =
            noClasses()
                    .that()
                    .resideOutsideOfPackages("dev.quire.server.sync..", "dev.quire.net..", "dev.quire.bench.load..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("org.java_websocket..")
                    .because("the socket library is an adapter detail of the sync endpoint, of the client's net adapters,"
                            + " and of the load bench's floor (RelayFloor, the library alone)");

    @ArchTest
    static final ArchRule onlyHttpUsesTheJdkHttpServer =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("dev.quire.server.http..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("com.sun.net.httpserver..")
                    .because("the HTTP server is an adapter detail of the HTTP API");

    @ArchTest
    static final ArchRule httpAndSyncDoNotKnowEachOther =
            noClasses()
                    .that()
                    .resideInAPackage("dev.quire.server.http..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server.sync..")
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.quire.server")
                    .because("the two adapters are wired together by QuireServer only");
}
