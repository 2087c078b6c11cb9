/**
 * Issue 6's client engine benchmark ({@code quire bench client}): the engine against the real server in one JVM on
 * loopback, each figure beside a floor measured in the same run (a bare H2 commit, a bare HTTP request) where one
 * exists.
 */
package dev.quire.bench.client;
