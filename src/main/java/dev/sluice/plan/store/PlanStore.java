package dev.sluice.plan.store;

import dev.sluice.api.Page;
import dev.sluice.audit.store.AuditLog;
import dev.sluice.domain.DomainException;
import dev.sluice.domain.DomainException.Fault;
import dev.sluice.domain.Json;
import dev.sluice.plan.PlanCodec;
import dev.sluice.plan.RestorePlan;
import dev.sluice.plan.SpecDiff;
import dev.sluice.plan.StoredPlan;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores plans and their version history. Every write is one transaction: a plan row and its
 * version row are written together or not at all. Updates lock the plan row, so of two concurrent
 * updates from the same version exactly one wins and the other sees a stale version.
 */
@ApplicationScoped
public class PlanStore {
    @Inject
    Clock clock;

    @Inject
    Instance<ActiveRunLookup> activeRuns;

    @Inject
    AuditLog audit;

    @Transactional
    public StoredPlan create(RestorePlan plan, String actor) {
        return create(plan, actor, Map.of());
    }

    /**
     * @param origin what the change came from (the Kubernetes object: namespace/name, uid, how the
     *     actor is known), kept with its audit event under {@code origin}; empty for none
     */
    @Transactional
    public StoredPlan create(RestorePlan plan, String actor, Map<String, Object> origin) {
        if (PlanEntity.findById(plan.name()) != null) {
            throw exists(plan.name());
        }
        Instant now = clock.instant();
        PlanEntity entity = new PlanEntity();
        entity.name = plan.name();
        entity.version = 1;
        entity.spec = PlanCodec.toJson(plan);
        entity.createdAt = now;
        entity.updatedAt = now;
        try {
            entity.persistAndFlush();
        } catch (jakarta.persistence.PersistenceException e) {
            // Lost a race with a concurrent create of the same name.
            throw exists(plan.name());
        }
        writeVersion(entity);
        audit.append(
                now,
                actor,
                "plan-created",
                null,
                plan.name(),
                plan.name(),
                null,
                "version 1",
                "plan created: " + plan.services().size() + " services, "
                        + plan.stages().size() + " stages",
                details(Map.of(), origin));
        return toStored(entity);
    }

    public Optional<StoredPlan> find(String name) {
        return PlanEntity.<PlanEntity>findByIdOptional(name).map(PlanStore::toStored);
    }

    public StoredPlan get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    public Page<StoredPlan> list(String after, int limit) {
        List<PlanEntity> rows = (after == null
                        ? PlanEntity.<PlanEntity>findAll(Sort.by("name"))
                        : PlanEntity.<PlanEntity>find("name > ?1", Sort.by("name"), after))
                .page(0, limit + 1)
                .list();
        boolean more = rows.size() > limit;
        List<StoredPlan> items =
                rows.stream().limit(limit).map(PlanStore::toStored).toList();
        return new Page<>(items, more ? items.get(items.size() - 1).name() : null);
    }

    /**
     * Replaces a plan's spec if its current version is {@code expectedVersion}; the replaced version
     * stays retrievable.
     */
    @Transactional
    public StoredPlan update(String name, int expectedVersion, RestorePlan plan, String actor) {
        return update(name, expectedVersion, plan, actor, Map.of());
    }

    /** As {@link #update(String, int, RestorePlan, String)}, recording where the change came from. */
    @Transactional
    public StoredPlan update(
            String name, int expectedVersion, RestorePlan plan, String actor, Map<String, Object> origin) {
        PlanEntity entity = PlanEntity.findById(name, LockModeType.PESSIMISTIC_WRITE);
        if (entity == null) {
            throw notFound(name);
        }
        if (entity.version != expectedVersion) {
            throw stale(name, expectedVersion, entity.version);
        }
        List<SpecDiff.Change> changes = SpecDiff.between(PlanCodec.fromStoredJson(entity.spec), plan);
        entity.version++;
        entity.spec = PlanCodec.toJson(plan);
        entity.updatedAt = clock.instant();
        writeVersion(entity);
        audit.append(
                entity.updatedAt,
                actor,
                "plan-updated",
                null,
                name,
                name,
                "version " + expectedVersion,
                "version " + entity.version,
                SpecDiff.summary(changes),
                details(Map.of("changes", changes), origin));
        return toStored(entity);
    }

    /** Deletes a plan and its history; refused while a run of it is active. */
    @Transactional
    public void delete(String name, Integer expectedVersion, String actor) {
        delete(name, expectedVersion, actor, Map.of());
    }

    /** As {@link #delete(String, Integer, String)}, recording where the deletion came from. */
    @Transactional
    public void delete(String name, Integer expectedVersion, String actor, Map<String, Object> origin) {
        PlanEntity entity = PlanEntity.findById(name, LockModeType.PESSIMISTIC_WRITE);
        if (entity == null) {
            throw notFound(name);
        }
        if (expectedVersion != null && entity.version != expectedVersion) {
            throw stale(name, expectedVersion, entity.version);
        }
        for (ActiveRunLookup lookup : activeRuns) {
            lookup.activeRunOf(name).ifPresent(run -> {
                throw new DomainException(
                                Fault.PLAN_IN_USE,
                                "plan \"" + name + "\" has an active run (" + run + "); abort or finish it first")
                        .with("run", run);
            });
        }
        PlanVersionEntity.delete("key.planName", name);
        entity.delete();
        audit.append(
                clock.instant(),
                actor,
                "plan-deleted",
                null,
                name,
                name,
                "version " + entity.version,
                null,
                "plan deleted with its " + entity.version + " version(s)",
                details(Map.of(), origin));
    }

    /** Every stored version of a plan, oldest first. */
    public List<StoredPlan> versions(String name) {
        StoredPlan current = get(name);
        return PlanVersionEntity.<PlanVersionEntity>find("key.planName", Sort.by("key.version"), name).stream()
                .map(v -> toStored(v, current))
                .toList();
    }

    public StoredPlan version(String name, int version) {
        StoredPlan current = get(name);
        PlanVersionEntity v = PlanVersionEntity.findById(new PlanVersionEntity.Key(name, version));
        if (v == null) {
            throw DomainException.notFound("plan \"" + name + "\" has no version " + version + " (current version is "
                    + current.version() + ")");
        }
        return toStored(v, current);
    }

    /** An audit event's details: {@code facts}, and {@code origin} when there is one; null when neither. */
    private static String details(Map<String, Object> facts, Map<String, Object> origin) {
        if (facts.isEmpty() && origin.isEmpty()) {
            return null;
        }
        Map<String, Object> all = new java.util.LinkedHashMap<>(facts);
        if (!origin.isEmpty()) {
            all.put("origin", origin);
        }
        return Json.write(all);
    }

    private void writeVersion(PlanEntity entity) {
        PlanVersionEntity v = new PlanVersionEntity();
        v.key = new PlanVersionEntity.Key(entity.name, entity.version);
        v.spec = entity.spec;
        v.createdAt = entity.updatedAt;
        v.persist();
    }

    private static StoredPlan toStored(PlanEntity e) {
        return new StoredPlan(e.name, e.version, e.createdAt, e.updatedAt, PlanCodec.fromStoredJson(e.spec));
    }

    private static StoredPlan toStored(PlanVersionEntity v, StoredPlan current) {
        return new StoredPlan(
                v.key.planName(), v.key.version(), current.createdAt(), v.createdAt, PlanCodec.fromStoredJson(v.spec));
    }

    private static DomainException notFound(String name) {
        return DomainException.notFound("no plan named \"" + name + "\"");
    }

    private static DomainException exists(String name) {
        return new DomainException(
                Fault.PLAN_EXISTS, "a plan named \"" + name + "\" already exists; update it with PUT and If-Match");
    }

    private static DomainException stale(String name, int expected, int current) {
        return DomainException.staleVersion(
                "plan \"" + name + "\" is at version " + current + ", not " + expected
                        + "; read it again and reapply your change",
                current);
    }
}
