package dev.sluice.admission;

class LocalPermitBucketTest extends PermitBucketContract {
    @Override
    protected PermitBucket create(String name, RateLimit limit) {
        return new LocalPermitBucket(limit, new ClockTimeMeter(clock));
    }
}
