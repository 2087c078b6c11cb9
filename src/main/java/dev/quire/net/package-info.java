/**
 * The client's network adapters: the pure core's interfaces implemented over real sockets and HTTP.
 *
 * <p>So far the session's side: {@link dev.quire.net.Discovery} reads a server's {@code /.well-known/quire} into
 * {@link dev.quire.net.ServerEndpoints}, and {@link dev.quire.net.HttpTokenEndpoint} is the {@link
 * dev.quire.session.TokenEndpoint} over the JDK's {@code java.net.http.HttpClient}, classifying every failure as
 * transient (no answer, timeout, 5xx, 408, 429, unreadable answer) or a rejection (any other 4xx), which is what the
 * session's retry-or-end decision rests on. No credential goes into a URL, a log or an exception message.
 */
package dev.quire.net;
