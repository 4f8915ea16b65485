package io.linuxpatch.fleet;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one job per host in batches (OPR-1): the hosts of a batch are submitted side by side and followed over their
 * job-events WebSockets until every job has ended; the next batch starts only then, and none starts once
 * {@code maxFailures} hosts have failed (those left are {@link Outcome#NOT_STARTED}). A stale plan (409
 * {@code PLAN_STALE}, or a job that fails with it) skips the host; a host that does not answer is reported and the
 * others go on; neither counts as a failure.
 */
public final class Rollout {

  private final AgentClient client;
  private final int batchSize;
  private final int maxFailures;
  private final ProgressView view;

  /** {@code maxFailures} 0 means never stop. */
  public Rollout(AgentClient client, int batchSize, int maxFailures, ProgressView view) {
    if (batchSize < 1 || maxFailures < 0) {
      throw new IllegalArgumentException("--batch must be at least 1 and --max-failures at least 0");
    }
    this.client = client;
    this.batchSize = batchSize;
    this.maxFailures = maxFailures;
    this.view = view;
  }

  /** What a rollout did: each host's result in order, and whether it stopped after too many failures. */
  public record Report(List<HostResult> results, boolean stopped) {
  }

  /** Runs {@code submissions}; {@code afterBatch} sees the results so far after each batch (e.g. to save a record). */
  public Report run(List<Submission> submissions, Consumer<List<HostResult>> afterBatch) {
    List<HostResult> results = new ArrayList<>();
    int failures = 0;
    boolean stopped = false;
    for (int start = 0; start < submissions.size(); start += batchSize) {
      List<Submission> batch = submissions.subList(start, Math.min(submissions.size(), start + batchSize));
      if (stopped) {
        for (Submission s : batch) {
          HostResult skipped = HostResult.of(s.host(), Outcome.NOT_STARTED,
              "not started: " + failures + " host(s) failed (--max-failures " + maxFailures + ")");
          view.result(skipped);
          results.add(skipped);
        }
        continue;
      }
      List<Future<HostResult>> running = batch.stream().map(this::runOne).toList();
      for (Future<HostResult> one : running) {
        HostResult result = one.await();
        results.add(result);
        failures += result.outcome().failure() ? 1 : 0;
      }
      view.batchDone();
      afterBatch.accept(List.copyOf(results));
      stopped = maxFailures > 0 && failures >= maxFailures;
    }
    view.batchDone();
    afterBatch.accept(List.copyOf(results));
    return new Report(results, stopped);
  }

  private Future<HostResult> runOne(Submission submission) {
    Host host = submission.host();
    if (submission.path() == null) {
      return done(HostResult.of(host, submission.skipped(), submission.note()));
    }
    return client.post(host, submission.path(), submission.body(), Map.of("Idempotency-Key", submission.idempotencyKey()))
        .compose(answer -> answer.status() == 202 ? follow(host, answer.data()) : done(refused(host, answer)),
            unreachable -> done(HostResult.of(host, Outcome.UNREACHABLE, String.valueOf(unreachable.getMessage()))));
  }

  private Future<HostResult> follow(Host host, JsonObject accepted) {
    String jobId = accepted.getString("job_id");
    view.job(host, accepted);
    JsonObject[] last = {accepted};
    return new JobEventStream(client, host).follow(List.of(jobId), frame -> {
      last[0] = frame.getJsonObject("job");
      if (!"job_complete".equals(frame.getString("type"))) {
        view.job(host, last[0]);
      }
    }).transform(followed -> {
      if (followed.failed()) {
        return done(new HostResult(host, Outcome.UNREACHABLE, jobId, null,
            "lost the job's events: " + followed.cause().getMessage(), null));
      }
      JsonObject job = last[0];
      String status = job.getString("status");
      String code = job.getString("error_code");
      Outcome outcome = "completed".equals(status) ? Outcome.COMPLETED
          : "PLAN_STALE".equals(code) ? Outcome.STALE : Outcome.FAILED;
      String message = job.getString("error") != null ? job.getString("error") : job.getString("message");
      return done(new HostResult(host, outcome, jobId, code, message, job.getJsonArray("changes")));
    });
  }

  private static HostResult refused(Host host, Answer answer) {
    Outcome outcome = "PLAN_STALE".equals(answer.errorCode()) ? Outcome.STALE : Outcome.REFUSED;
    return new HostResult(host, outcome, null, answer.errorCode(), answer.errorMessage(), null);
  }

  private Future<HostResult> done(HostResult result) {
    view.result(result);
    return Future.succeededFuture(result);
  }
}
