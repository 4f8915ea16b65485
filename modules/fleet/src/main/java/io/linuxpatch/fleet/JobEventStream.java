package io.linuxpatch.fleet;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows jobs of one agent over its job-events WebSocket (JOB-9): subscribes to the given job ids, hands every frame
 * about them to a listener, and completes once each has completed. A job that ended before the subscription sends no
 * more events, so each job is also read once over HTTPS and, when finished, reported as a {@code job_complete}
 * frame. A job id the agent refuses (an {@code error} frame) or does not know fails the stream with an
 * {@link AgentRefusal}. With no job ids it subscribes to every job and ends only when the socket closes.
 */
public final class JobEventStream {

  private final AgentClient client;
  private final Host host;

  public JobEventStream(AgentClient client, Host host) {
    this.client = client;
    this.host = host;
  }

  /**
   * Follows {@code jobIds} (every job when empty) and gives {@code onFrame} each {@code job_status} and
   * {@code job_complete} frame, at most one {@code job_complete} per job.
   */
  public Future<Void> follow(Collection<String> jobIds, Consumer<JsonObject> onFrame) {
    return follow(jobIds, () -> { }, onFrame);
  }

  /**
   * Follows every job; {@code onSubscribed} runs once the agent has taken the subscription (the answer to a ping sent
   * after it: the agent handles a socket's messages in order), so that no event after that moment is missed.
   */
  public Future<Void> followAll(Runnable onSubscribed, Consumer<JsonObject> onFrame) {
    return follow(java.util.List.of(), onSubscribed, onFrame);
  }

  private Future<Void> follow(Collection<String> jobIds, Runnable onSubscribed, Consumer<JsonObject> onFrame) {
    // Job ids are UUIDs, which the agent writes in lower case.
    Set<String> open = new LinkedHashSet<>();
    jobIds.forEach(id -> open.add(id.toLowerCase(Locale.ROOT)));
    boolean all = open.isEmpty();
    Promise<Void> done = Promise.promise();
    client.jobEvents(host).onFailure(done::tryFail).onSuccess(ws -> {
      // Every handler runs on the socket's event loop, so "open" needs no lock.
      ws.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        if ("error".equals(frame.getString("type"))) {
          done.tryFail(new AgentRefusal(host, frame.getString("code"), frame.getString("message")));
          ws.close();
          return;
        }
        if ("pong".equals(frame.getString("type"))) {
          onSubscribed.run();
          return;
        }
        deliver(ws, frame, open, all, onFrame, done);
      });
      ws.closeHandler(v -> {
        if (all) {
          done.tryComplete();
        } else {
          done.tryFail(new IllegalStateException(host + ": the job-events WebSocket closed before the jobs completed"));
        }
      });
      if (all) {
        ws.writeTextMessage(new JsonObject().put("type", "subscribe_all").encode());
        ws.writeTextMessage(new JsonObject().put("type", "ping").encode());
        return;
      }
      for (String id : Set.copyOf(open)) {
        ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("job_id", id).encode());
        client.get(host, "/api/v1/jobs/" + id).onFailure(done::tryFail).onSuccess(answer -> {
          if (!answer.ok()) {
            done.tryFail(new AgentRefusal(host, answer.errorCode(), "job " + id + ": " + answer.errorMessage()));
            ws.close();
            return;
          }
          if (finished(answer.data())) {
            deliver(ws, new JsonObject().put("type", "job_complete").put("job", answer.data()), open, false, onFrame,
                done);
          }
        });
      }
    });
    return done.future();
  }

  private static void deliver(WebSocket ws, JsonObject frame, Set<String> open, boolean all,
      Consumer<JsonObject> onFrame, Promise<Void> done) {
    JsonObject job = frame.getJsonObject("job");
    String id = job == null ? null : job.getString("job_id");
    if (all) {
      onFrame.accept(frame);
      return;
    }
    if (id == null || !open.contains(id)) {
      return;
    }
    if ("job_complete".equals(frame.getString("type"))) {
      open.remove(id);
      onFrame.accept(frame);
      if (open.isEmpty()) {
        done.tryComplete();
        ws.close();
      }
      return;
    }
    onFrame.accept(frame);
  }

  /** Whether {@code job} has ended (neither pending nor running). */
  public static boolean finished(JsonObject job) {
    String status = job.getString("status");
    return status != null && !"pending".equals(status) && !"running".equals(status);
  }
}
