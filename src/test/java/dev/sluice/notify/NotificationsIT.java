package dev.sluice.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.control.OperatorAction;
import dev.sluice.control.run.LeaderStatus;
import dev.sluice.control.run.RunCommands;
import dev.sluice.control.run.RunTicker;
import dev.sluice.domain.Json;
import dev.sluice.notify.delivery.DeliveryWorker;
import dev.sluice.notify.delivery.WebhookSender;
import dev.sluice.notify.store.Deliveries;
import dev.sluice.notify.store.Subscriptions;
import dev.sluice.testing.MutableClock;
import dev.sluice.testing.RunPlans;
import dev.sluice.testing.RunsOverHttp;
import dev.sluice.testing.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NotificationsIT {
    static final String SUBSCRIPTIONS = "/api/v1/notifications/subscriptions";
    static final String PROBLEM = "application/problem+json";

    @Inject
    DeliveryWorker worker;

    @Inject
    RunTicker ticker;

    @Inject
    RunCommands commands;

    @Inject
    MutableClock clock;

    @Inject
    EntityManager em;

    @Inject
    Deliveries deliveries;

    @Inject
    Subscriptions subscriptions;

    @Inject
    WebhookSender sender;

    record Subscription(String id, String secret) {}

    @Test
    void aPauseIsDeliveredAsASignedCloudEventThatVerifies() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            Subscription sub = subscribe(receiver.url(), "notify-signed", List.of("run-started", "run-paused"), null);
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-signed"), "notify-signed", "tier back");
            pause(run, "waiting for the storage team");

            worker.pass().get(10, TimeUnit.SECONDS);

            assertThat(receiver.received).hasSize(2);
            for (Receiver.Received r : receiver.received) {
                assertThat(verifies(sub.secret(), r)).isTrue();
                assertThat(r.header("content-type")).isEqualTo("application/cloudevents+json");
                JsonNode event = Json.mapper().readTree(r.body());
                assertThat(event.get("specversion").asText()).isEqualTo("1.0");
                assertThat(event.get("id").asText()).isEqualTo(r.header("webhook-id"));
                assertThat(event.get("source").asText()).isEqualTo("/sluice/plans/notify-signed/runs/" + run);
            }
            // Both are sent in the same pass, concurrently: they may arrive in either order.
            Receiver.Received pausedDelivery = receiver.received.stream()
                    .filter(r -> r.body().contains("\"dev.sluice.run-paused\""))
                    .findFirst()
                    .orElseThrow();
            JsonNode paused = Json.mapper().readTree(pausedDelivery.body());
            assertThat(paused.get("type").asText()).isEqualTo("dev.sluice.run-paused");
            assertThat(paused.at("/data/reason").asText()).isEqualTo("waiting for the storage team");
            assertThat(paused.at("/data/actor").asText()).isEqualTo("notify-operator");

            Receiver.Received tampered = new Receiver.Received(
                    pausedDelivery.headers(), pausedDelivery.body().replace("storage", "network"));
            assertThat(verifies(sub.secret(), tampered)).isFalse();
            given().get("/q/metrics")
                    .then()
                    .body(containsString("sluice_notify_delivered_total{format=\"cloudevents\"}"))
                    .body(containsString("sluice_notify_delivery_latency_seconds_count"))
                    .body(containsString("sluice_notify_outbox_depth"));
        }
    }

    @Test
    void twoReplicasPassingAtOnceDeliverEachEventOnce() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            subscribe(receiver.url(), "notify-twice", List.of("run-started", "run-paused"), null);
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-twice"), "notify-twice", "go");
            pause(run, "two leaders for a moment");

            // Two passes at once, as two replicas would run them during a leader hand-over.
            CompletableFuture<CompletableFuture<Void>> one = CompletableFuture.supplyAsync(worker::pass);
            CompletableFuture<CompletableFuture<Void>> two = CompletableFuture.supplyAsync(worker::pass);
            one.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
            two.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
            worker.pass().get(10, TimeUnit.SECONDS);

            assertThat(receiver.received).hasSize(2);
            assertThat(receiver.received.stream()
                            .map(r -> r.header("webhook-id"))
                            .distinct())
                    .hasSize(2);
        }
    }

    @Test
    void aReceiverThatIsDownGetsTheEventLaterWithTheSameId() throws Exception {
        Receiver receiver = Receiver.down();
        try (receiver) {
            subscribe(receiver.url(), "notify-down", List.of("run-started"), null);
            RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-down"), "notify-down", "tier back");

            worker.pass().get(10, TimeUnit.SECONDS); // connection refused: retried later
            assertThat(pendingAttempts("notify-down")).containsExactly(1);

            receiver.start();
            receiver.status = 500; // up, but failing: the receiver sees the event and refuses it
            clock.advance(Duration.ofMinutes(1));
            worker.pass().get(10, TimeUnit.SECONDS);
            receiver.status = 200;
            clock.advance(Duration.ofMinutes(1));
            worker.pass().get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofMinutes(1));
            worker.pass().get(10, TimeUnit.SECONDS); // delivered: nothing more is sent

            assertThat(receiver.received).hasSize(2);
            Set<String> ids =
                    receiver.received.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
            assertThat(ids)
                    .as("a receiver de-duplicating by webhook-id sees one event")
                    .hasSize(1);
            assertThat(pendingAttempts("notify-down")).isEmpty();
        }
    }

    @Test
    void aSlowReceiverDelaysNeitherAnotherReceiverNorATick() throws Exception {
        try (Receiver slow = Receiver.up();
                Receiver fast = Receiver.up()) {
            slow.hang();
            subscribe(slow.url(), "notify-slow", List.of("run-started", "run-paused"), null);
            subscribe(fast.url(), "notify-slow", List.of("run-started", "run-paused"), null);
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-slow"), "notify-slow", "tier back");

            long started = System.nanoTime();
            CompletableFuture<Void> pass = worker.pass();
            long passMillis = (System.nanoTime() - started) / 1_000_000;

            await().atMost(Duration.ofSeconds(5)).until(() -> fast.received.size() == 1);
            assertThat(pass).as("the slow receiver still holds its delivery").isNotDone();
            clock.advanceSeconds(1);
            assertThat(ticker.tick(run))
                    .as("a tick runs while a delivery hangs")
                    .isTrue();
            assertThat(passMillis).as("a pass does not wait for its sends").isLessThan(1_000);

            pass.get(10, TimeUnit.SECONDS); // the slow one times out (1 s in the test profile)
            slow.release();
            assertThat(pendingAttempts("notify-slow")).containsExactly(1);
        }
    }

    @Test
    void pastItsDeadlineAnEventIsDeadLetteredAndCanBeRedelivered() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            receiver.status = 500;
            Subscription sub = subscribe(receiver.url(), "notify-dead", List.of("run-started"), null);
            RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-dead"), "notify-dead", "tier back");
            worker.pass().get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofMinutes(11)); // past the test profile's 10 min deadline
            worker.pass().get(10, TimeUnit.SECONDS);

            Number deadLetter = given().queryParam("subscription", sub.id())
                    .get("/api/v1/notifications/dead-letters")
                    .then()
                    .statusCode(200)
                    .body("[0].event", equalTo("run-started"))
                    .body("[0].plan", equalTo("notify-dead"))
                    .body("[0].attempts", equalTo(2))
                    .body("[0].lastStatus", equalTo(500))
                    .body("[0].lastError", equalTo("answered 500"))
                    .extract()
                    .path("[0].id");
            String eventId = receiver.received.get(0).header("webhook-id");

            TestTokens.as(TestTokens.token("notify-viewer", List.of("viewer"), List.of()))
                    .contentType(ContentType.JSON)
                    .body(Map.of("reason", "try"))
                    .post("/api/v1/notifications/dead-letters/" + deadLetter + "/redeliver")
                    .then()
                    .statusCode(403);
            receiver.status = 200;
            given().contentType(ContentType.JSON)
                    .body(Map.of("reason", "receiver fixed"))
                    .post("/api/v1/notifications/dead-letters/" + deadLetter + "/redeliver")
                    .then()
                    .statusCode(202);
            worker.pass().get(10, TimeUnit.SECONDS);

            assertThat(receiver.received).hasSize(3);
            assertThat(receiver.received.get(2).header("webhook-id")).isEqualTo(eventId);
            given().queryParam("subscription", sub.id())
                    .get("/api/v1/notifications/dead-letters")
                    .then()
                    .body("size()", equalTo(0));
            given().queryParam("action", "notify-redelivery")
                    .queryParam("plan", "notify-dead")
                    .get("/api/v1/audit")
                    .then()
                    .body("items[0].reason", equalTo("receiver fixed"))
                    .body("items[0].subject", equalTo(sub.id()));
            given().contentType(ContentType.JSON)
                    .body(Map.of("reason", "again"))
                    .post("/api/v1/notifications/dead-letters/" + deadLetter + "/redeliver")
                    .then()
                    .statusCode(404)
                    .contentType(PROBLEM);
            given().get("/q/metrics").then().body(containsString("sluice_notify_dead_lettered_total"));
        }
    }

    @Test
    void aTransitionRolledBackLeavesNoOutboxRow() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            subscribe(receiver.url(), "notify-rollback", List.of("run-paused"), null);
            String run =
                    RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-rollback"), "notify-rollback", "tier back");

            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    commands.act(run, null, "alice", "pause", c -> OperatorAction.pause(c.state(), "pause"));
                    assertThat(countOutboxRows(run, "run-paused"))
                            .as("written in the transition's transaction")
                            .isEqualTo(1);
                    throw new IllegalStateException("the transaction fails after the transition");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            worker.pass().get(10, TimeUnit.SECONDS);

            assertThat(outboxRows(run, "run-paused")).isZero();
            assertThat(receiver.received).isEmpty();
            given().get("/api/v1/runs/" + run).then().body("status", equalTo("running"));
        }
    }

    @Test
    void duringARotationBothSecretsSignUntilTheOverlapEnds() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            Subscription old = subscribe(receiver.url(), "notify-rotate", List.of("run-started", "run-paused"), null);
            String secret = given().contentType(ContentType.JSON)
                    .body(Map.of("reason", "yearly rotation"))
                    .post(SUBSCRIPTIONS + "/" + old.id() + "/rotate-secret")
                    .then()
                    .statusCode(200)
                    .body("subscription.previousSecretValidUntil", not(nullValue()))
                    .extract()
                    .path("secret");
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-rotate"), "notify-rotate", "go");
            worker.pass().get(10, TimeUnit.SECONDS);

            Receiver.Received during = receiver.received.get(0);
            assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
            assertThat(verifies(secret, during)).isTrue();
            assertThat(verifies(old.secret(), during)).isTrue();

            clock.advance(Duration.ofHours(25)); // past the 24 h overlap
            pause(run, "after the overlap");
            worker.pass().get(10, TimeUnit.SECONDS);
            Receiver.Received after = receiver.received.get(1);
            assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
            assertThat(verifies(secret, after)).isTrue();
            assertThat(verifies(old.secret(), after)).isFalse();
        }
    }

    @Test
    void aRunThatStaysPausedIsRemindedOncePerPeriodNotOnEveryTick() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            subscribe(receiver.url(), "notify-remind", List.of("run-paused"), "slack");
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-remind"), "notify-remind", "go");
            pause(run, "hold for the storage team");
            worker.pass().get(10, TimeUnit.SECONDS);
            assertThat(receiver.received).hasSize(1);

            for (int minute = 0; minute < 29; minute++) {
                clock.advance(Duration.ofMinutes(1));
                ticker.tick(run);
                worker.pass().get(10, TimeUnit.SECONDS);
            }
            assertThat(receiver.received).as("no reminder within 30 minutes").hasSize(1);
            clock.advance(Duration.ofMinutes(1));
            worker.pass().get(10, TimeUnit.SECONDS);
            worker.pass().get(10, TimeUnit.SECONDS);

            assertThat(receiver.received).hasSize(2);
            JsonNode reminder = Json.mapper().readTree(receiver.received.get(1).body());
            assertThat(reminder.get("text").asText()).isEqualTo("notify-remind: run still paused");
            assertThat(reminder.at("/blocks/0/text/text").asText()).contains("hold for the storage team");
        }
    }

    @Test
    void afterACrashUndeliveredEventsAreDeliveredWithTheirOutboxIdsAndNoneIsLost() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            subscribe(receiver.url(), "notify-crash", List.of("run-started", "run-paused"), null);
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-crash"), "notify-crash", "go");
            // What a leader killed mid-attempt leaves: the start claimed and sent, its outcome never recorded.
            List<Deliveries.Claimed> claimed = QuarkusTransaction.requiringNew().call(() -> {
                deliveries.fanOut(clock.instant(), Duration.ofMinutes(10), 100);
                return deliveries.claim(clock.instant(), Duration.ofSeconds(7), 100);
            });
            Deliveries.Claimed start = claimed.stream()
                    .filter(c -> run.equals(c.notice().runId()))
                    .findFirst()
                    .orElseThrow();
            sender.send(
                            subscriptions
                                    .target(start.subscriptionId(), clock.instant())
                                    .orElseThrow(),
                            start.notice())
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            pause(run, "committed just before the crash"); // in the outbox, not fanned out

            // A pass keeps nothing in memory, so this is what a restarted replica runs.
            worker.pass().get(10, TimeUnit.SECONDS);
            assertThat(receiver.received)
                    .as("the crashed claim is not sent again while its lease holds: its sender may be alive")
                    .hasSize(2);
            clock.advance(Duration.ofMinutes(1)); // the dead leader's claim has expired
            worker.pass().get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofMinutes(1));
            worker.pass().get(10, TimeUnit.SECONDS);

            Map<String, Long> sent = receiver.received.stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            assertThat(sent.keySet()).containsExactlyInAnyOrderElementsOf(outboxIds(run));
            assertThat(sent)
                    .as("at least once: the unrecorded start again, with its id; the pause once")
                    .containsEntry(start.notice().id(), 2L)
                    .hasSize(2)
                    .containsValues(1L);
            assertThat(pendingAttempts("notify-crash")).isEmpty();
        }
    }

    @Test
    void onlyTheLeadersBeatDelivers() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            subscribe(receiver.url(), "notify-leader", List.of("run-started"), null);
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-leader"), "notify-leader", "go");
            // As LeaderLock answers on a replica that did not get the advisory lock, and on the one that did.
            LeaderStatus follower = () -> false;
            LeaderStatus leader = () -> true;

            worker.beat(follower).get(10, TimeUnit.SECONDS);
            assertThat(receiver.received).isEmpty();
            assertThat(notFannedOut(run)).as("a follower does not even fan out").isEqualTo(1);

            worker.beat(leader).get(10, TimeUnit.SECONDS);
            assertThat(receiver.received).hasSize(1);
            assertThat(notFannedOut(run)).isZero();
        }
    }

    @Test
    void aManualApprovalGateAnnouncesApprovalNeededForTheStageItGuards() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            subscribe(receiver.url(), "notify-approve", List.of("approval-needed"), null);
            String plan = RunPlans.pushPlan("notify-approve")
                    .replace(
                            "\"gates\": [",
                            "\"gates\": [{\"name\": \"approve-half\", \"kind\": \"manual-approval\","
                                    + " \"beforeStage\": \"half\"}, ");
            String run = RunsOverHttp.storeAndStart(plan, "notify-approve", "tier back");

            worker.pass().get(10, TimeUnit.SECONDS);

            assertThat(receiver.received).hasSize(1);
            JsonNode event = Json.mapper().readTree(receiver.received.get(0).body());
            assertThat(event.get("type").asText()).isEqualTo("dev.sluice.approval-needed");
            assertThat(event.get("subject").asText()).isEqualTo(run);
            assertThat(event.at("/data/stage").asText()).isEqualTo("quarter");
            assertThat(event.at("/data/to").asText()).isEqualTo("half");
        }
    }

    @Test
    void deliveredRowsPastTheRetentionAreDeletedButDeadLettersAndTheirEventsStay() throws Exception {
        try (Receiver good = Receiver.up();
                Receiver failing = Receiver.up()) {
            failing.status = 500;
            subscribe(good.url(), "notify-retain", List.of("run-started", "run-paused"), null);
            Subscription dead = subscribe(failing.url(), "notify-retain", List.of("run-started"), null);
            String run = RunsOverHttp.storeAndStart(RunPlans.pushPlan("notify-retain"), "notify-retain", "go");
            pause(run, "stays paused");
            worker.pass().get(10, TimeUnit.SECONDS);
            assertThat(good.received).hasSize(2);
            String started = webhookIdOf(good, "run-started");
            String paused = webhookIdOf(good, "run-paused");

            clock.advance(Duration.ofDays(8)); // past the 7 day default retention
            worker.pass().get(10, TimeUnit.SECONDS); // a reminder; the failing start is dead-lettered

            assertThat(good.received).hasSize(3);
            String reminder = good.received.get(2).header("webhook-id");
            assertThat(outboxIds(run))
                    .as("the old pause is gone; the start stays for its dead letter")
                    .containsExactlyInAnyOrder(started, reminder)
                    .doesNotContain(paused);
            assertThat(deliveredEventIds(run)).containsExactly(reminder);
            given().queryParam("subscription", dead.id())
                    .get("/api/v1/notifications/dead-letters")
                    .then()
                    .body("size()", equalTo(1))
                    .body("[0].eventId", equalTo(started));
        }
    }

    @Test
    void theTestActionSendsASignedSampleAndReportsWhatTheReceiverAnswered() throws Exception {
        try (Receiver receiver = Receiver.up()) {
            Subscription sub = subscribe(receiver.url(), "notify-test", List.of("run-completed"), null);
            given().post(SUBSCRIPTIONS + "/" + sub.id() + "/test")
                    .then()
                    .statusCode(200)
                    .body("delivered", equalTo(true))
                    .body("status", equalTo(200))
                    .body("answer", equalTo("thanks"));
            assertThat(receiver.received).hasSize(1);
            assertThat(verifies(sub.secret(), receiver.received.get(0))).isTrue();
            assertThat(Json.mapper()
                            .readTree(receiver.received.get(0).body())
                            .get("type")
                            .asText())
                    .isEqualTo("dev.sluice.notification-test");
        }
        Subscription gone = subscribe(Receiver.down().url(), "notify-test", List.of("run-completed"), null);
        given().post(SUBSCRIPTIONS + "/" + gone.id() + "/test")
                .then()
                .statusCode(200)
                .body("delivered", equalTo(false))
                .body("error", equalTo("connection refused"));
    }

    @Test
    void aViewerReadsSubscriptionsButCannotChangeThemAndNoTokenIsA401() {
        String slackStyle = "https://hooks.example.com/services/T0001/B0002/pathIsTheCredential";
        Subscription sub = subscribe(slackStyle, "notify-roles", List.of("run-paused"), null);
        String viewer = TestTokens.token("notify-viewer", List.of("viewer"), List.of());
        TestTokens.as(viewer)
                .get(SUBSCRIPTIONS)
                .then()
                .statusCode(200)
                .body("id", hasItem(sub.id()))
                .body(not(containsString("whsec_")))
                .body(not(containsString(sub.secret())))
                .body(not(containsString("pathIsTheCredential")));
        TestTokens.as(viewer)
                .get(SUBSCRIPTIONS + "/" + sub.id())
                .then()
                .statusCode(200)
                .body("url", equalTo("https://hooks.example.com/…"))
                .body("secret", nullValue());
        given().get(SUBSCRIPTIONS + "/" + sub.id()).then().statusCode(200).body("url", equalTo(slackStyle));
        TestTokens.as(viewer)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "https://x.example.com", "events", List.of("run-paused")))
                .post(SUBSCRIPTIONS)
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        TestTokens.as(viewer)
                .delete(SUBSCRIPTIONS + "/" + sub.id() + "?reason=no")
                .then()
                .statusCode(403);
        given().header("Authorization", "")
                .noFilters()
                .get(SUBSCRIPTIONS)
                .then()
                .statusCode(401)
                .contentType(PROBLEM);

        given().delete(SUBSCRIPTIONS + "/" + sub.id() + "?reason=done with it")
                .then()
                .statusCode(204);
        given().get(SUBSCRIPTIONS + "/" + sub.id()).then().statusCode(404).contentType(PROBLEM);
        given().queryParam("action", "notify-subscription-deleted")
                .queryParam("plan", "notify-roles")
                .get("/api/v1/audit")
                .then()
                .body("items[0].reason", equalTo("done with it"))
                .body("items[0].from", equalTo("https://hooks.example.com"));
    }

    @Test
    void invalidSubscriptionsAreProblemsNamingTheField() {
        invalid(Map.of("url", "ftp://example.com", "events", List.of("run-paused")), "/url", "http-or-https");
        invalid(Map.of("url", "https://u:p@example.com", "events", List.of("run-paused")), "/url", "no-credentials");
        invalid(
                Map.of("url", "https://example.com", "events", List.of("run-paused", "run-explode")),
                "/events/1",
                "event");
        invalid(Map.of("url", "https://example.com", "events", List.of()), "/events", "min-items");
        invalid(
                Map.of("url", "https://example.com", "events", List.of("run-paused"), "format", "xml"),
                "/format",
                "format");
        invalid(
                Map.of("url", "https://example.com", "events", List.of("run-paused"), "plan", "Bad Name"),
                "/plan",
                "plan-name");
        given().get(SUBSCRIPTIONS).then().body(not(containsString("ftp://example.com")));
    }

    private static void invalid(Map<String, Object> body, String pointer, String rule) {
        given().contentType(ContentType.JSON)
                .body(body)
                .post(SUBSCRIPTIONS)
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", containsString(pointer + ":"))
                .body(containsString(rule));
    }

    /** The receiver's check, as the README shows it: HMAC-SHA256 of id.timestamp.body, any signature. */
    static boolean verifies(String secret, Receiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
        String expected =
                "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        for (String signature : r.header("webhook-signature").split(" ")) {
            if (java.security.MessageDigest.isEqual(
                    signature.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The id of the delivery of one event type: one pass sends concurrently, in no fixed order. */
    private static String webhookIdOf(Receiver receiver, String type) {
        return receiver.received.stream()
                .filter(r -> r.body().contains("\"dev.sluice." + type + "\""))
                .findFirst()
                .orElseThrow()
                .header("webhook-id");
    }

    private static Subscription subscribe(String url, String plan, List<String> events, String format) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", url, "events", events, "plan", plan));
        if (format != null) {
            body.put("format", format);
        }
        var answer = given().contentType(ContentType.JSON)
                .body(body)
                .post(SUBSCRIPTIONS)
                .then()
                .statusCode(201)
                .body("subscription.plan", equalTo(plan))
                .extract();
        return new Subscription(answer.path("subscription.id"), answer.path("secret"));
    }

    private static void pause(String run, String reason) {
        TestTokens.as(TestTokens.operator("notify-operator"))
                .contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .post("/api/v1/runs/" + run + "/pause")
                .then()
                .statusCode(200);
    }

    private long outboxRows(String run, String type) {
        return QuarkusTransaction.requiringNew().call(() -> countOutboxRows(run, type));
    }

    /** In the caller's transaction, which sees its own uncommitted rows. */
    private long countOutboxRows(String run, String type) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM notify_event WHERE run_id = ?1 AND type = ?2")
                        .setParameter(1, run)
                        .setParameter(2, type)
                        .getSingleResult())
                .longValue();
    }

    @SuppressWarnings("unchecked")
    private List<String> outboxIds(String run) {
        return QuarkusTransaction.requiringNew()
                .call(() -> (List<String>) em.createNativeQuery("SELECT id FROM notify_event WHERE run_id = ?1")
                        .setParameter(1, run)
                        .getResultList());
    }

    @SuppressWarnings("unchecked")
    private List<String> deliveredEventIds(String run) {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>)
                em.createNativeQuery("SELECT d.event_id FROM notify_delivery d JOIN notify_event e ON e.id = d.event_id"
                                + " WHERE e.run_id = ?1 AND d.status = 'delivered'")
                        .setParameter(1, run)
                        .getResultList());
    }

    private long notFannedOut(String run) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery(
                                        "SELECT count(*) FROM notify_event WHERE run_id = ?1 AND NOT fanned_out")
                                .setParameter(1, run)
                                .getSingleResult())
                        .longValue());
    }

    /** Attempts made so far of the plan's deliveries still pending. */
    @SuppressWarnings("unchecked")
    private List<Integer> pendingAttempts(String plan) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((List<Number>) em.createNativeQuery(
                                        "SELECT d.attempts FROM notify_delivery d JOIN notify_event e ON e.id = d.event_id"
                                                + " WHERE e.plan_name = ?1 AND d.status = 'pending' ORDER BY d.id")
                                .setParameter(1, plan)
                                .getResultList())
                        .stream().map(Number::intValue).toList());
    }
}
