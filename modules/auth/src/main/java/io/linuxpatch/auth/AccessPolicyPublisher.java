package io.linuxpatch.auth;

import io.linuxpatch.auth.allowlist.AllowListDiff;
import io.linuxpatch.auth.allowlist.AllowListFile;
import io.linuxpatch.auth.allowlist.AllowListWatch;
import io.linuxpatch.auth.allowlist.AllowListWatch.FileText;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.IpAllowList;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.AuthorizationConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current {@link AccessPolicy} of AuthVerticle: reads and watches the allow-list file, combines it
 * with the authorization rules, and publishes a new snapshot on {@code lpa.auth.policy} whenever either
 * changes. Runs on AuthVerticle's event loop; parsing (which resolves host names) runs on a worker.
 *
 * <p>Deny by default: a missing, unreadable or invalid file at start-up yields a deny-all policy. Later, an
 * invalid version keeps the last good list (SEC-4), with one WARN per distinct content rather than one per
 * scan.
 */
final class AccessPolicyPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(AccessPolicyPublisher.class);

  private final Vertx vertx;
  private final AllowListFile parser;
  private final Duration hostRefresh;

  private AuthorizationConfig authorization;
  private AccessPolicy policy = AccessPolicy.denyAll();
  /** False until a valid file was applied: until then an invalid file means deny all, not "keep". */
  private boolean haveGoodList;
  private AllowListWatch watch;
  private String path;
  /** The latest text seen, re-parsed by the host-name refresh. */
  private FileText lastText;
  private boolean lastTextNamesHosts;
  /** Increases with every parse started; a result that is not the latest one is dropped. */
  private long parseSequence;
  private String lastWarning;
  private long refreshTimer = -1;

  AccessPolicyPublisher(Vertx vertx, AllowListFile parser, Duration hostRefresh) {
    this.vertx = vertx;
    this.parser = parser;
    this.hostRefresh = hostRefresh;
  }

  /** Reads the file named by {@code config}, publishes the first policy and starts watching. */
  Future<Void> start(AgentConfig config) {
    authorization = config.authorization();
    sayWhatAuthorizationMeans();
    policy = new AccessPolicy(IpAllowList.denyAll(), authorization, 0);
    refreshTimer = vertx.setPeriodic(hostRefresh.toMillis(), id -> refreshHosts());
    return watch(config.whitelist().path());
  }

  AccessPolicy current() {
    return policy;
  }

  /** Applies a new agent configuration: new authorization rules, or another allow-list file to watch. */
  Future<Void> reconfigure(AgentConfig config) {
    Future<Void> done = Future.succeededFuture();
    if (!Objects.equals(authorization, config.authorization())) {
      authorization = config.authorization();
      publish(policy.allowList(), "authorization rules changed (" + authorization.clients().size() + " client rules"
          + (authorization.configured() ? "" : ", section absent: clients may only read")
          + (authorization.allowHostCertificates() ? ", host certificates allowed" : "") + ")");
      sayWhatAuthorizationMeans();
    }
    if (!Objects.equals(path, config.whitelist().path())) {
      LOG.info("whitelist.path changed from {} to {}: watching the new file; the current list stays until it is "
          + "read and valid", path, config.whitelist().path());
      AllowListWatch old = watch;
      watch = null;
      if (old != null) {
        old.close();
      }
      done = watch(config.whitelist().path());
    }
    return done;
  }

  /**
   * One line when the authorization settings leave the API in a state an operator may not expect (SEC-6):
   * mutations disabled because nobody was granted them, every call refused, or host certificates admitted.
   */
  private void sayWhatAuthorizationMeans() {
    if (!authorization.configured()) {
      LOG.warn("no authorization section: authenticated clients may only read; mutations are disabled until "
          + "clients are granted operate or admin under authorization.clients (SEC-6)");
    } else if (authorization.clients().isEmpty()) {
      LOG.warn("the authorization section grants no client a role: every API call is refused; add rules under "
          + "authorization.clients");
    }
    if (authorization.allowHostCertificates()) {
      LOG.warn("authorization.allow_host_certificates is true: certificates made for agents (serverAuth) may call "
          + "the API with the roles authorization.clients gives them; the key of any host could then act here");
    }
  }

  Future<Void> stop() {
    vertx.cancelTimer(refreshTimer);
    return watch == null ? Future.succeededFuture() : watch.close();
  }

  private Future<Void> watch(String newPath) {
    path = newPath;
    return AllowListWatch.open(vertx, newPath, this::changed)
        .compose(started -> {
          if (!Objects.equals(path, newPath)) {
            // Reconfigured again while this watch was starting: it is already obsolete.
            return started.watch().close();
          }
          watch = started.watch();
          return load(started.first());
        });
  }

  private void changed(FileText text) {
    if (watch != null && text.path().equals(path)) {
      load(text);
    }
  }

  /** Re-parses the current file so that host names follow DNS, and an unresolvable one is retried. */
  private void refreshHosts() {
    // With DNS down one parse can outlast the period: never queue a second one behind it on the shared
    // worker pool (SystemVerticle and PackageVerticle need those threads too).
    if (refreshing || lastText == null || !lastTextNamesHosts || !lastText.path().equals(path)) {
      return;
    }
    refreshing = true;
    load(lastText).onComplete(done -> refreshing = false);
  }

  private boolean refreshing;

  private Future<Void> load(FileText text) {
    lastText = text;
    long sequence = ++parseSequence;
    if (text.missing()) {
      lastTextNamesHosts = false;
      rejected(text, "the file does not exist or cannot be read by the agent");
      return Future.succeededFuture();
    }
    // Host names resolve with blocking calls: never on this event loop.
    return vertx.executeBlocking(() -> parser.parse(text.text()), false).map(result -> {
      if (sequence != parseSequence) {
        return null; // a newer version of the file is already being parsed
      }
      if (result instanceof AllowListFile.Valid valid) {
        lastTextNamesHosts = !valid.hostNames().isEmpty();
        accepted(valid);
      } else if (result instanceof AllowListFile.Invalid invalid) {
        lastTextNamesHosts = invalid.unresolvedHost();
        rejected(text, invalid.summary());
      }
      return null;
    });
  }

  private void accepted(AllowListFile.Valid valid) {
    lastWarning = null;
    AllowListDiff diff = AllowListDiff.between(policy.allowList(), valid.allowList());
    if (!haveGoodList) {
      haveGoodList = true;
      publish(valid.allowList(), "allow-list " + path + " loaded, entries "
          + valid.entries() + (valid.entries().isEmpty() ? " (explicitly empty: every connection is refused)" : ""));
    } else if (!diff.isEmpty()) {
      publish(valid.allowList(), "allow-list " + path + " changed: " + diff + "; applies to new connections and "
          + "the next request on open ones");
    } else {
      LOG.debug("allow-list {} re-read, nothing that admits a connection changed", path);
    }
  }

  private void rejected(FileText text, String reason) {
    if (!haveGoodList) {
      if (policy.generation() == 0) {
        // Start-up: deny all, and say so loudly (SEC-4: an empty or unreadable file at start-up = deny all).
        LOG.error("allow-list {} is unusable at start-up: {}. Every connection is refused until the file is "
            + "fixed (it is re-read within 2 s of a change)", path, reason);
        publish(IpAllowList.denyAll(), "deny-all policy until a valid allow-list is read");
      } else {
        warnOnce(text, "allow-list " + path + " is still unusable: " + reason + ". Every connection is still "
            + "refused");
      }
      return;
    }
    warnOnce(text, "allow-list " + path + " was changed but is unusable: " + reason + ". Keeping the previous list "
        + policy.allowList().sources() + " (generation " + policy.generation() + "); fix the file to apply a "
        + "change");
  }

  private void warnOnce(FileText text, String message) {
    String key = text.path() + '\u0000' + text.text() + '\u0000' + message;
    if (!key.equals(lastWarning)) {
      lastWarning = key;
      LOG.warn(message);
    }
  }

  private void publish(IpAllowList allowList, String why) {
    policy = new AccessPolicy(allowList, authorization, policy.generation() + 1);
    LOG.info("access policy generation {}: {}", policy.generation(), why);
    vertx.eventBus().publish(Addresses.AUTH_POLICY, policy);
    // AUD-1: what is now in force, recorded by the component that decided it.
    vertx.eventBus().send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "allowlist_reload")
        .put("generation", policy.generation()).put("entries", new JsonArray(policy.allowList().sources())));
  }
}
