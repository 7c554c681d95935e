-- Retention (sluice.notify.retention) deletes delivered deliveries and spent events by age on every
-- delivery pass; these keep that a range scan instead of a full one as the tables grow.
CREATE INDEX notify_delivery_delivered ON notify_delivery (finished_at) WHERE status = 'delivered';
CREATE INDEX notify_event_fanned_out ON notify_event (occurred_at) WHERE fanned_out;
