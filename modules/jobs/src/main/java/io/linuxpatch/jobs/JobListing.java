package io.linuxpatch.jobs;

import io.linuxpatch.contract.ListPage;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Endpoint 11: jobs filtered by status, operation and creation time, sorted and paged as API-6 says. */
final class JobListing {

  private JobListing() {}

  /** {@code query} was validated by the HTTP layer against the OpenAPI document. */
  static JsonObject page(Collection<Job> jobs, JsonObject query) {
    Stream<Job> selected = jobs.stream();
    Optional<JobStatus> status = Optional.ofNullable(query.getString("status")).flatMap(JobStatus::fromWire);
    if (status.isPresent()) {
      selected = selected.filter(j -> j.status() == status.get());
    }
    Optional<JobOperation> operation = Optional.ofNullable(query.getString("operation")).flatMap(JobOperation::fromWire);
    if (operation.isPresent()) {
      selected = selected.filter(j -> j.operation() == operation.get());
    }
    if (query.getString("since") != null) {
      Instant since = Instant.parse(query.getString("since"));
      selected = selected.filter(j -> !j.createdAt().isBefore(since));
    }
    Comparator<Job> order = switch (query.getString("sort", "created_at")) {
      case "updated_at" -> Comparator.comparing(Job::updatedAt);
      case "status" -> Comparator.comparing((Job j) -> j.status().wire());
      default -> Comparator.comparing(Job::createdAt);
    };
    // The id breaks ties so that paging through equal timestamps neither repeats nor skips a job.
    order = order.thenComparing(j -> j.id().toString());
    if ("desc".equals(query.getString("order"))) {
      order = order.reversed();
    }
    return ListPage.of("jobs", selected.sorted(order).toList(), query, Job::summary);
  }
}
