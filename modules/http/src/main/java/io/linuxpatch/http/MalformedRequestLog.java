package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests the HTTP/1.x codec refused ({@link MalformedRequests}), summarised like failed TLS handshakes so that
 * a flood cannot fill the log or the disk: repeats of one client, status and reason within an interval become
 * one entry with a count, at most {@link #MAX_PER_INTERVAL} entries are kept, and each interval gives one
 * WARN line and one audit record per entry (AUD-1: these are requests, with a client and a status). One per
 * HTTP verticle, used on its event loop only.
 */
final class MalformedRequestLog {

  private static final Logger LOG = LoggerFactory.getLogger(MalformedRequestLog.class);
  /** Distinct (peer, client, status, reason) entries per interval; the rest are only counted. */
  static final int MAX_PER_INTERVAL = 20;

  /** Refusals of one client for one reason in one interval. */
  private record Entry(String requestId, String peerIp, ClientIdentity client, int status, String reason,
      long count, Instant first, Instant last) {
  }

  private final EventBus bus;
  private Map<String, Entry> entries = new LinkedHashMap<>();
  private long notRecorded;

  private final ReportInterval interval;

  MalformedRequestLog(EventBus bus, ReportInterval interval) {
    this.bus = bus;
    this.interval = interval;
    interval.onEnd(this::report);
  }

  void add(String requestId, String peerIp, ClientIdentity client, int status, String reason) {
    interval.event();
    Instant now = Instant.now();
    String key = peerIp + '\n' + (client == null ? "" : client.fingerprint()) + '\n' + status + '\n' + reason;
    Entry seen = entries.get(key);
    if (seen != null) {
      entries.put(key, new Entry(seen.requestId(), peerIp, client, status, reason, seen.count() + 1, seen.first(), now));
    } else if (entries.size() < MAX_PER_INTERVAL) {
      entries.put(key, new Entry(requestId, peerIp, client, status, reason, 1, now, now));
    } else {
      notRecorded++;
    }
  }

  /** Writes what the last interval saw: one log line, one audit record per entry; nothing when it saw nothing. */
  void report() {
    if (entries.isEmpty() && notRecorded == 0) {
      return;
    }
    LOG.warn("refused {} malformed HTTP/1.x request(s) in the last interval (answered, connection closed): {}{}",
        entries.values().stream().mapToLong(Entry::count).sum() + notRecorded,
        entries.values().stream().map(e -> e.peerIp() + " " + (e.client() == null ? "?" : e.client().commonName())
            + " " + e.status() + " \"" + e.reason() + "\" x" + e.count()).collect(Collectors.joining("; ")),
        notRecorded == 0 ? "" : "; " + notRecorded + " more not itemised");
    for (Entry e : entries.values()) {
      bus.send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "malformed_request")
          .put("request_id", e.requestId())
          .put("client", e.client() == null ? null : e.client().toJson())
          .put("peer_ip", e.peerIp())
          .put("status", e.status())
          .put("reason", e.reason())
          .put("count", e.count())
          .put("first_at", e.first().toString())
          .put("last_at", e.last().toString()));
    }
    if (notRecorded > 0) {
      bus.send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "malformed_requests_not_recorded")
          .put("count", notRecorded));
    }
    entries = new LinkedHashMap<>();
    notRecorded = 0;
  }
}
