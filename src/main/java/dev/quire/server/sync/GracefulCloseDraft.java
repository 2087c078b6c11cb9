package dev.quire.server.sync;

import java.util.ArrayList;
import java.util.List;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.protocols.IProtocol;

/**
 * RFC 6455 with a server-initiated close that waits for the client's answer before the TCP connection goes (§7.1.1:
 * the server closes TCP "after sending and receiving a Close message").
 *
 * <p>Why: Java-WebSocket's {@code WebSocket.close} drops the TCP connection as soon as the close frame is flushed. A
 * client that is still sending (every y-websocket client sends sync step 1 and its awareness right after opening)
 * then has unread bytes in the server's socket, so the server's kernel answers with a TCP reset, and the reset can
 * discard the close frame on the client's side: the client sees 1006 and never learns the reason (the
 * {@code TOKEN_EXPIRED} or {@code FORBIDDEN} it must act on). With {@link #sendClose} the close frame goes out and
 * the socket stays open until the client's close frame arrives (then it is closed, as the library does for a close
 * handshake it started itself) or the caller's timeout drops it.
 *
 * <p>One instance per connection ({@link #copyInstance()}), as the library requires of drafts.
 */
final class GracefulCloseDraft extends Draft_6455 {
    private volatile boolean closeSent;

    GracefulCloseDraft(List<IExtension> extensions, List<IProtocol> protocols, int maxFrameBytes) {
        super(extensions, protocols, maxFrameBytes);
    }

    /**
     * Sends a close frame on {@code ws} without closing the socket; its draft must be a {@code GracefulCloseDraft}.
     *
     * @return false if the socket was not open (nothing sent)
     */
    static boolean sendClose(WebSocket ws, int code, String reason) {
        if (!(ws.getDraft() instanceof GracefulCloseDraft draft) || !ws.isOpen()) {
            return false;
        }
        CloseFrame frame = new CloseFrame();
        frame.setCode(code);
        frame.setReason(reason);
        draft.closeSent = true;
        try {
            ws.sendFrame(frame);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    @Override
    public void processFrame(WebSocketImpl ws, Framedata frame) throws InvalidDataException {
        if (closeSent && frame.getOpcode() == Opcode.CLOSING) {
            // the answer to our close frame: the handshake is complete (without this, the library would answer it
            // with a second close frame of its own)
            CloseFrame cf = frame instanceof CloseFrame c ? c : null;
            ws.closeConnection(cf == null ? CloseFrame.NOCODE : cf.getCloseCode(), cf == null ? "" : cf.getMessage(),
                    true);
            return;
        }
        super.processFrame(ws, frame);
    }

    @Override
    public Draft copyInstance() {
        List<IExtension> extensions = new ArrayList<>();
        for (IExtension e : getKnownExtensions()) {
            extensions.add(e.copyInstance());
        }
        List<IProtocol> protocols = new ArrayList<>();
        for (IProtocol p : getKnownProtocols()) {
            protocols.add(p.copyInstance());
        }
        return new GracefulCloseDraft(extensions, protocols, getMaxFrameSize());
    }
}
