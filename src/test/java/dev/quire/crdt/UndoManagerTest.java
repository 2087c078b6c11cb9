package dev.quire.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link UndoManager}, modelled on Yjs's tests/undo-redo.tests.js. Time comes from a fake clock. */
class UndoManagerTest {
    /** The fake clock's time in milliseconds; starts well above 0. */
    private long now = 1_000_000;

    private UndoManager undoManager(AbstractType type) {
        return UndoManager.builder(type).clock(() -> now).build();
    }

    private void later() {
        now += 10_000;
    }

    private static Map<String, Object> attrs(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    @Test
    void undoRemovesInsertedTextAndRedoRestoresIt() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "hello");
        assertTrue(um.canUndo());
        assertTrue(um.undo().isPresent());
        assertEquals("", text.toString());
        assertTrue(um.canRedo());
        assertTrue(um.redo().isPresent());
        assertEquals("hello", text.toString());
        assertFalse(um.canRedo());
    }

    @Test
    void keystrokesWithinCaptureTimeoutUndoAsOneStep() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "a");
        now += 200;
        text.insert(1, "b");
        now += 499; // 499 ms after the last keystroke: still the same step
        text.insert(2, "c");
        now += 500; // a pause of the full timeout starts a new step
        text.insert(3, "d");
        assertEquals(2, um.undoStackSize());
        um.undo();
        assertEquals("abc", text.toString());
        um.undo();
        assertEquals("", text.toString());
        assertFalse(um.canUndo());
    }

    @Test
    void stopCapturingStartsNewStepImmediately() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "a");
        um.stopCapturing();
        text.insert(1, "b");
        um.undo();
        assertEquals("a", text.toString());
    }

    @Test
    void captureTimeoutIsConfigurable() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = UndoManager.builder(text).clock(() -> now).captureTimeout(Duration.ZERO).build();
        text.insert(0, "a");
        text.insert(1, "b"); // same millisecond, but a zero timeout never groups
        um.undo();
        assertEquals("a", text.toString());
    }

    @Test
    void undoRestoresDeletedTextAndFormatting() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "plain bold plain");
        text.format(6, 4, attrs("bold", true));
        later();
        text.delete(3, 10);
        assertEquals("plaain", text.toString());
        um.undo();
        assertEquals("plain bold plain", text.toString());
        assertEquals(List.of(
                Map.of("insert", "plain "),
                Map.of("insert", "bold", "attributes", Map.of("bold", true)),
                Map.of("insert", " plain")), text.toDelta());
        um.redo();
        assertEquals("plaain", text.toString());
    }

    @Test
    void undoRemovesFormattingAndRedoReappliesIt() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "abc");
        later();
        text.format(1, 1, attrs("bold", true));
        um.undo();
        assertEquals(List.of(Map.of("insert", "abc")), text.toDelta());
        um.redo();
        assertEquals(List.of(
                Map.of("insert", "a"),
                Map.of("insert", "b", "attributes", Map.of("bold", true)),
                Map.of("insert", "c")), text.toDelta());
    }

    @Test
    void undoOnlyUndoesTrackedOrigin() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text); // tracks only the null origin (and itself)
        text.insert(0, "mine ");
        later();
        doc.transact(t -> text.insert(5, "theirs"), "some-plugin");
        assertEquals(1, um.undoStackSize());
        um.undo();
        assertEquals("theirs", text.toString());

        um.addTrackedOrigin("some-plugin");
        later();
        doc.transact(t -> text.insert(0, "x"), "some-plugin");
        um.undo();
        assertEquals("theirs", text.toString());

        um.removeTrackedOrigin("some-plugin");
        later();
        doc.transact(t -> text.insert(0, "y"), "some-plugin");
        assertFalse(um.canUndo());
    }

    /** An origin whose class is tracked, as Yjs tracks origin.constructor (e.g. every editor binding instance). */
    private record EditorBinding(String name) {
    }

    @Test
    void originClassCanBeTracked() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = UndoManager.builder(text).clock(() -> now).trackedOrigins(Set.of(EditorBinding.class)).build();
        doc.transact(t -> text.insert(0, "typed"), new EditorBinding("main"));
        later();
        text.insert(0, "no origin "); // null is no longer tracked
        assertEquals(1, um.undoStackSize());
        um.undo();
        assertEquals("no origin ", text.toString());
    }

    @Test
    void remoteChangesAreNeverUndone() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        YText textA = a.getText("t");
        UndoManager um = undoManager(textA);
        b.getText("t").insert(0, "from b");
        // applied with no origin, as a careless sync layer might: still not recorded (Quire, unlike Yjs, requires
        // null-origin transactions to be local)
        Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b));
        assertFalse(um.canUndo());
        assertEquals("from b", textA.toString());
    }

    @Test
    void changesOutsideScopeAreNotRecorded() {
        Doc doc = new Doc(1);
        YText inScope = doc.getText("body");
        YText outside = doc.getText("title");
        UndoManager um = undoManager(inScope);
        outside.insert(0, "Title");
        assertFalse(um.canUndo());
        inScope.insert(0, "Body");
        later();
        um.addToScope(outside);
        outside.insert(5, "!");
        um.undo();
        assertEquals("Title", outside.toString());
        um.undo();
        assertEquals("", inScope.toString());
    }

    @Test
    void newEditClearsRedoStack() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "a");
        um.undo();
        assertTrue(um.canRedo());
        text.insert(0, "b");
        assertFalse(um.canRedo());
    }

    @Test
    void undoAndRedoTransactionsCarryTheManagerAsOrigin() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        List<Object> origins = new ArrayList<>();
        doc.onUpdate((update, origin, tr) -> origins.add(origin));
        text.insert(0, "a");
        um.undo();
        um.redo();
        assertEquals(3, origins.size());
        assertNull(origins.get(0));
        assertSame(um, origins.get(1));
        assertSame(um, origins.get(2));
    }

    @Test
    void deletedContentIsKeptFromGarbageCollectionWhileOnTheStack() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        text.insert(0, "abc");
        later();
        text.delete(0, 3);
        Item item = doc.store.getItem(new ID(1, 0));
        assertTrue(item.isDeleted());
        assertInstanceOf(ContentString.class, item.content, "kept for undo, not garbage collected");
        um.clear();
        assertFalse(um.canUndo());
        assertFalse(item.keep(), "clear releases the kept items");
    }

    @Test
    void undoOfOneStepDoesNotTouchConcurrentRemoteInsertions() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        a.onUpdate((u, origin, tr) -> {
            if (!"remote".equals(origin)) {
                Updates.applyUpdate(b, u, "remote");
            }
        });
        b.onUpdate((u, origin, tr) -> {
            if (!"remote".equals(origin)) {
                Updates.applyUpdate(a, u, "remote");
            }
        });
        YText textA = a.getText("t");
        YText textB = b.getText("t");
        UndoManager um = undoManager(textA);
        textA.insert(0, "hello world");
        textB.insert(5, ",");
        textB.insert(textB.length(), "!");
        assertEquals("hello, world!", textA.toString());
        RelativePosition cursorB = RelativePosition.fromIndex(textB, 7); // before "world" on B
        um.undo();
        assertEquals(",!", textA.toString());
        assertEquals(",!", textB.toString());
        assertEquals(1, cursorB.toAbsolute(b).index(), "B's cursor collapses to where the undone text was");
        um.redo();
        assertEquals("hello, world!", textA.toString());
        assertEquals("hello, world!", textB.toString());
        // Redo inserts a copy just before the deleted original. A follows the redone link from "w" to its copy;
        // B does not know the link (yjs #638) and sees the cursor at the deleted original, after the copy.
        assertEquals(7, cursorB.toAbsolute(a).index());
        assertEquals(12, cursorB.toAbsolute(b).index());
        assertEquals(12, cursorB.toAbsolute(a, false).index());
    }

    @Test
    void concurrentOfflineEditsOfOtherPeerSurviveUndoAndCursorsStayPut() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        YText textA = a.getText("t");
        YText textB = b.getText("t");
        textA.insert(0, "shared text");
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a), "remote");
        UndoManager um = undoManager(textA);
        // both peers edit while disconnected
        textA.insert(7, "plain "); // "shared plain text"
        later();
        textA.delete(0, 8); // "lain text": A removes "shared p"
        textB.insert(11, " by B");
        textB.insert(0, "B: ");
        RelativePosition cursorB = RelativePosition.fromIndex(textB, 9, -1); // after "B: shared" on B
        // reconnect: exchange what the other lacks, then keep exchanging live
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)), "remote");
        Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b, Updates.encodeStateVector(a)), "remote");
        b.onUpdate((u, origin, tr) -> Updates.applyUpdate(a, u, "remote"));
        a.onUpdate((u, origin, tr) -> {
            if (!"remote".equals(origin)) {
                Updates.applyUpdate(b, u, "remote");
            }
        });
        assertEquals("B: lain text by B", textA.toString());
        assertEquals(textA.toString(), textB.toString());
        assertEquals(3, cursorB.toAbsolute(b).index(), "'shared' is deleted: the cursor sits where it was");

        um.undo(); // brings back "shared p", keeps B's edits
        assertEquals("B: shared plain text by B", textA.toString());
        assertEquals(textA.toString(), textB.toString());
        assertEquals(9, cursorB.toAbsolute(a).index(), "A follows the redone copy of 'shared'");
        um.undo(); // A's first step: removes "plain " (the re-created "p" included)
        assertEquals("B: shared text by B", textB.toString());
        assertFalse(um.canUndo());
        um.redo();
        um.redo();
        assertEquals("B: lain text by B", textB.toString());
        assertEquals(textA.toString(), textB.toString());
    }

    @Test
    void undoSkipsStepsWhoseContentOthersAlreadyDeleted() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        YText textA = a.getText("t");
        UndoManager um = undoManager(textA);
        textA.insert(0, "one ");
        later();
        textA.insert(4, "two");
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a), "remote");
        b.getText("t").delete(4, 3); // B deletes "two"
        Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b), "remote");
        assertEquals("one ", textA.toString());
        // the "two" step changes nothing any more; undo goes on to the step before it
        assertTrue(um.undo().isPresent());
        assertEquals("", textA.toString());
        assertFalse(um.canUndo());
    }

    @Test
    void mapUndoRestoresPreviousValue() {
        Doc doc = new Doc(1);
        YMap map = doc.getMap("m");
        UndoManager um = undoManager(map);
        map.set("color", "red");
        later();
        map.set("color", "blue");
        um.undo();
        assertEquals("red", map.get("color"));
        um.undo();
        assertFalse(map.has("color"));
        um.redo();
        um.redo();
        assertEquals("blue", map.get("color"));
    }

    @Test
    void undoDoesNotOverwriteMapValueAnotherPeerWroteSince() {
        Doc a = new Doc(1);
        Doc b = new Doc(2);
        YMap mapA = a.getMap("m");
        UndoManager um = undoManager(mapA);
        mapA.set("k", "a1");
        later();
        mapA.delete("k");
        Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a), "remote");
        b.getMap("m").set("k", "b1");
        Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b), "remote");
        um.undo(); // would bring back "a1", but B wrote the key since
        assertEquals("b1", mapA.get("k"));
    }

    @Test
    void undoRecreatesDeletedNestedTypeWithItsContent() {
        Doc doc = new Doc(1);
        YArray list = doc.getArray("list");
        UndoManager um = undoManager(list);
        YText note = new YText();
        list.insert(0, List.of(note));
        note.insert(0, "nested");
        later();
        list.delete(0, 1);
        assertEquals(0, list.length());
        um.undo();
        assertEquals(1, list.length());
        YText copy = (YText) list.get(0);
        assertEquals("nested", copy.toString());
    }

    @Test
    void stackItemEventsReportAddedUpdatedPoppedAndCleared() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        List<String> events = new ArrayList<>();
        um.onStackItemAdded(e -> {
            events.add("added " + e.stack());
            e.stackItem().meta().put("cursor", text.length());
        });
        um.onStackItemUpdated(e -> events.add("updated " + e.stack()));
        um.onStackItemPopped(e -> {
            events.add("popped " + e.stack() + " cursor " + e.stackItem().meta().get("cursor"));
            assertSame(um, e.origin());
            assertTrue(e.changedParentTypes().containsKey(text));
        });
        um.onStackCleared(e -> events.add("cleared " + e.undoStackCleared() + " " + e.redoStackCleared()));
        text.insert(0, "a");
        text.insert(1, "b");
        um.undo();
        um.clear();
        assertEquals(List.of("added UNDO", "updated UNDO", "added REDO", "popped UNDO cursor 1", "cleared true true"),
                events);
    }

    @Test
    void wholeDocumentScopeRecordsEveryTypeButNoEmptyTransactions() {
        Doc doc = new Doc(1);
        UndoManager um = UndoManager.builder(doc).clock(() -> now).build();
        doc.getText("t").insert(0, "text");
        doc.getMap("m").set("k", 1);
        doc.transact(t -> { });
        assertEquals(1, um.undoStackSize());
        um.undo();
        assertEquals("", doc.getText("t").toString());
        assertFalse(doc.getMap("m").has("k"));
    }

    @Test
    void destroyedManagerStopsRecording() {
        Doc doc = new Doc(1);
        YText text = doc.getText("t");
        UndoManager um = undoManager(text);
        um.destroy();
        text.insert(0, "a");
        assertFalse(um.canUndo());
    }
}
