package dev.quire.server.access;

import dev.quire.server.storage.Appended;
import dev.quire.server.storage.DocumentGrant;
import dev.quire.server.storage.DocumentInfo;
import dev.quire.server.storage.DocumentStore;
import dev.quire.server.storage.HistoryEntry;
import dev.quire.server.storage.NoSuchDocumentException;
import dev.quire.server.storage.ShareInfo;
import dev.quire.server.storage.ShareRole;
import dev.quire.server.storage.SharedDocument;
import dev.quire.server.storage.WorkspaceInfo;
import dev.quire.server.storage.WorkspaceStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Documents, workspaces and shares as users see them: every operation checks the caller's role first.
 *
 * <p>Roles: the owner of a document's workspace is its {@link Role#OWNER}; anyone else has the role the document is
 * shared with them as, or none. Reading (metadata, export, history, attribution) needs a reader, changing content or
 * title a writer, deleting and sharing the owner.
 *
 * <p>Errors: {@link AccessDeniedException} ({@code NOT_FOUND} for no role or no such thing, identical either way;
 * {@code FORBIDDEN} for a role too low), {@link IllegalArgumentException} for bad input (a blank or too long name, a
 * share with an unknown user), and what the stores throw otherwise ({@code InvalidUpdateException} and its subclass
 * {@code ClientIdTakenException} from {@link #importUpdate}, {@code StorageException}). Role checks come before input
 * checks that would reveal anything, so a stranger gets {@code NOT_FOUND} whatever else is wrong.
 *
 * <p>Thread-safe (the stores are); a check and the operation after it are two steps, and a document deleted in between
 * is reported as {@code NOT_FOUND}.
 */
public final class AccessService implements DocumentAccess {

    /** The name of the workspace every user gets on first use. */
    public static final String DEFAULT_WORKSPACE_NAME = "My documents";

    private final DocumentStore documents;
    private final WorkspaceStore workspaces;
    private final UserLookup users;
    private final Clock clock;

    /**
     * @param users tells whether a share's target user exists
     * @param clock the server time recorded with imported updates
     */
    public AccessService(DocumentStore documents, WorkspaceStore workspaces, UserLookup users, Clock clock) {
        this.documents = documents;
        this.workspaces = workspaces;
        this.users = users;
        this.clock = clock;
    }

    // ---- roles ----

    @Override
    public Optional<Role> roleOf(String userId, String docId) {
        return workspaces.grant(docId, userId).flatMap(g -> role(g, userId));
    }

    private static Optional<Role> role(DocumentGrant grant, String userId) {
        if (grant.ownedBy(userId)) {
            return Optional.of(Role.OWNER);
        }
        return grant.share().map(s -> s == ShareRole.WRITER ? Role.WRITER : Role.READER);
    }

    /** The caller's view of the document if their role is at least {@code needed}. */
    private DocumentView require(String userId, String docId, Role needed, String action) {
        DocumentGrant grant = workspaces.grant(docId, userId).orElseThrow(() -> AccessDeniedException.noDocument(docId));
        Role role = role(grant, userId).orElseThrow(() -> AccessDeniedException.noDocument(docId));
        if (role.compareTo(needed) < 0) {
            throw AccessDeniedException.forbidden(userId, docId, role, action, needed);
        }
        return new DocumentView(grant.document(), role);
    }

    /** Runs a store operation on a document that was checked a moment ago and may have been deleted since. */
    private static <T> T onDocument(String docId, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (NoSuchDocumentException e) {
            throw AccessDeniedException.noDocument(docId);
        }
    }

    // ---- workspaces ----

    /** The user's default workspace, created on first call (once, even under concurrent first calls). */
    public WorkspaceInfo defaultWorkspace(String userId) {
        return workspaces.defaultWorkspace(userId, DEFAULT_WORKSPACE_NAME);
    }

    /** The user's workspaces, the default first (created if the user has none yet). */
    public List<WorkspaceInfo> workspaces(String userId) {
        defaultWorkspace(userId);
        return workspaces.workspaces(userId);
    }

    public WorkspaceInfo createWorkspace(String userId, String name) {
        return workspaces.createWorkspace(userId, requireText("a workspace name", name, WorkspaceStore.MAX_NAME_LENGTH,
                false));
    }

    /**
     * Creates a workspace with the id its client chose, a random UUID (made offline, documents are created in it
     * before the server hears of it); the same request again gets the same workspace, and an id another workspace
     * has is {@link IdTakenException}.
     */
    public WorkspaceInfo createWorkspace(String userId, String name, String workspaceId) {
        String checked = requireText("a workspace name", name, WorkspaceStore.MAX_NAME_LENGTH, false);
        requireUuid("a workspace id", workspaceId);
        WorkspaceInfo ws = workspaces.createWorkspace(workspaceId, userId, checked);
        if (!ws.ownerUserId().equals(userId) || ws.isDefault()) {
            throw IdTakenException.workspace(workspaceId);
        }
        return ws;
    }

    private static void requireUuid(String what, String id) {
        if (id == null || !isCanonicalUuid(id)) {
            throw new IllegalArgumentException(what + " must be a UUID in its canonical lower-case form");
        }
    }

    /** Renames one of the user's own workspaces ({@code NOT_FOUND} for anyone else's). */
    public WorkspaceInfo renameWorkspace(String userId, String workspaceId, String name) {
        ownWorkspace(userId, workspaceId);
        String checked = requireText("a workspace name", name, WorkspaceStore.MAX_NAME_LENGTH, false);
        return workspaces.renameWorkspace(workspaceId, checked)
                .orElseThrow(() -> AccessDeniedException.noWorkspace(workspaceId));
    }

    /** A workspace the user owns; {@code NOT_FOUND} for anyone else's and for none. */
    private WorkspaceInfo ownWorkspace(String userId, String workspaceId) {
        return workspaces.workspace(workspaceId)
                .filter(ws -> ws.ownerUserId().equals(userId))
                .orElseThrow(() -> AccessDeniedException.noWorkspace(workspaceId));
    }

    // ---- documents ----

    /** Creates a document in the user's default workspace. */
    public DocumentView createDocument(String userId, String title) {
        requireText("a title", title, DocumentStore.MAX_TITLE_LENGTH, true);
        return create(userId, defaultWorkspace(userId), title);
    }

    /** Creates a document in a workspace the user owns ({@code NOT_FOUND} otherwise). */
    public DocumentView createDocument(String userId, String title, String workspaceId) {
        requireText("a title", title, DocumentStore.MAX_TITLE_LENGTH, true);
        return create(userId, ownWorkspace(userId, workspaceId), title);
    }

    private DocumentView create(String userId, WorkspaceInfo ws, String title) {
        return new DocumentView(documents.createDocument(ws.id(), userId, title), Role.OWNER);
    }

    /**
     * Creates a document with the id its client chose, a random UUID: a document made offline is edited, and its
     * edits queued, under that id before the server hears of it. The same request again (its answer was lost) gets
     * the same document. An id that another document has is {@link IdTakenException}.
     *
     * @param workspaceId one of the user's workspaces, or null for their default one
     */
    public DocumentView createDocument(String userId, String title, String workspaceId, String docId) {
        requireText("a title", title, DocumentStore.MAX_TITLE_LENGTH, true);
        requireUuid("a document id", docId);
        WorkspaceInfo ws = workspaceId == null ? defaultWorkspace(userId) : ownWorkspace(userId, workspaceId);
        DocumentInfo d = documents.createDocument(docId, ws.id(), userId, title);
        if (!d.ownerUserId().equals(userId) || !d.workspaceId().equals(ws.id())) {
            throw IdTakenException.document(docId);
        }
        return new DocumentView(d, Role.OWNER);
    }

    private static boolean isCanonicalUuid(String s) {
        try {
            return java.util.UUID.fromString(s).toString().equals(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Every document the user may see: their own (oldest first), then those shared with them (oldest share first). */
    public List<DocumentView> documents(String userId) {
        Map<String, DocumentView> out = new LinkedHashMap<>();
        for (DocumentInfo d : workspaces.ownedDocuments(userId)) {
            out.put(d.id(), new DocumentView(d, Role.OWNER));
        }
        for (SharedDocument s : workspaces.sharedWith(userId)) {
            out.putIfAbsent(s.document().id(), new DocumentView(s.document(),
                    s.role() == ShareRole.WRITER ? Role.WRITER : Role.READER));
        }
        return new ArrayList<>(out.values());
    }

    /** The documents of a workspace the user owns, oldest first. */
    public List<DocumentView> documents(String userId, String workspaceId) {
        ownWorkspace(userId, workspaceId);
        return documents.documents(workspaceId).stream().map(d -> new DocumentView(d, Role.OWNER)).toList();
    }

    public DocumentView document(String userId, String docId) {
        return require(userId, docId, Role.READER, "reading it");
    }

    public DocumentView rename(String userId, String docId, String title) {
        Role role = require(userId, docId, Role.WRITER, "renaming it").role();
        requireText("a title", title, DocumentStore.MAX_TITLE_LENGTH, true);
        return new DocumentView(onDocument(docId, () -> documents.renameDocument(docId, title)), role);
    }

    /** Deletes the document with its content, history and shares. */
    public void delete(String userId, String docId) {
        require(userId, docId, Role.OWNER, "deleting it");
        if (!documents.deleteDocument(docId)) {
            throw AccessDeniedException.noDocument(docId);
        }
    }

    // ---- sharing ----

    /**
     * Shares the document with another user as a reader or writer, or changes their role.
     *
     * @throws IllegalArgumentException for {@link Role#OWNER} (ownership comes with the workspace), the owner
     *                                  themselves, or a user that does not exist
     */
    public ShareInfo share(String ownerId, String docId, String otherUserId, Role role) {
        require(ownerId, docId, Role.OWNER, "sharing it");
        if (role == null || role == Role.OWNER) {
            throw new IllegalArgumentException("a document is shared as reader or writer; ownership comes with its"
                    + " workspace");
        }
        if (otherUserId == null || otherUserId.equals(ownerId)) {
            throw new IllegalArgumentException("share document " + docId + " with another user, not its owner");
        }
        if (!users.exists(otherUserId)) {
            throw new IllegalArgumentException("no user " + otherUserId + " to share document " + docId + " with");
        }
        ShareRole as = role == Role.WRITER ? ShareRole.WRITER : ShareRole.READER;
        return onDocument(docId, () -> workspaces.share(docId, otherUserId, as));
    }

    /**
     * Ends a share; false if there was none. The owner may end any share of the document, and a user their own
     * (to leave a document shared with them).
     */
    public boolean unshare(String userId, String docId, String otherUserId) {
        if (otherUserId == null || !otherUserId.equals(userId)) {
            require(userId, docId, Role.OWNER, "unsharing it");
        } else {
            require(userId, docId, Role.READER, "leaving it");
        }
        return workspaces.unshare(docId, otherUserId);
    }

    /** Who the document is shared with (owner only). */
    public List<ShareInfo> shares(String userId, String docId) {
        require(userId, docId, Role.OWNER, "listing its shares");
        return onDocument(docId, () -> workspaces.shares(docId));
    }

    // ---- content ----

    /** The whole document as one Yjs v1 update. */
    public byte[] exportUpdate(String userId, String docId) {
        require(userId, docId, Role.READER, "exporting it");
        return onDocument(docId, () -> documents.loadState(docId));
    }

    /**
     * Appends a Yjs v1 update as the user's, validated and attributed like one that came over a sync connection.
     *
     * @param connectionId the id the history records for it (e.g. the HTTP request's)
     */
    public Appended importUpdate(String userId, String docId, byte[] update, String connectionId) {
        require(userId, docId, Role.WRITER, "importing into it");
        return onDocument(docId, () -> documents.appendUpdate(docId, update, userId, connectionId, clock.instant()));
    }

    /** Stored updates after {@code afterSeq}, oldest first, at most {@code limit}: who, when, how much. */
    public List<HistoryEntry> history(String userId, String docId, long afterSeq, int limit) {
        require(userId, docId, Role.READER, "reading its history");
        return onDocument(docId, () -> documents.history(docId, afterSeq, limit));
    }

    /** The stored update (and so the user) that wrote the item {@code (clientId, clock)}. */
    public Optional<HistoryEntry> writerOf(String userId, String docId, long clientId, int clock) {
        require(userId, docId, Role.READER, "reading its history");
        return onDocument(docId, () -> documents.writerOf(docId, clientId, clock));
    }

    /**
     * Who wrote the characters {@code [from, to)} of the document's text {@code textName}, as spans of one writer
     * each, in text order.
     */
    public List<AuthorSpan> authors(String userId, String docId, String textName, int from, int to) {
        require(userId, docId, Role.READER, "reading its history");
        return onDocument(docId, () -> Authorship.spans(documents.loadState(docId), textName, from, to,
                (client, clock) -> documents.writerOf(docId, client, clock)));
    }

    // ---- input ----

    /**
     * Checks a title or name: present, not too long, and without control characters (they would let a name forge
     * lines in logs and listings).
     */
    private static String requireText(String what, String value, int maxLength, boolean mayBeEmpty) {
        if (value == null || (!mayBeEmpty && value.isBlank())) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(what + " is at most " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must not contain control characters (line breaks, tabs)");
        }
        return value;
    }
}
