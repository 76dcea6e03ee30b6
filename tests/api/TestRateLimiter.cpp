#include "api/RateLimiter.h"

#include <QTest>

using namespace signiq;
using namespace signiq::api;

class TestRateLimiter : public QObject {
    Q_OBJECT

private slots:
    void allowsUpToTheLimitThenRefuses()
    {
        core::ManualClock clock(1'000'000);
        RateLimiter limiter(clock);
        const RatePolicy policy{5, 60, 100};
        for (int i = 0; i < 5; ++i) {
            const RateDecision d = limiter.check(QStringLiteral("k"), policy);
            QVERIFY(d.allowed);
            QCOMPARE(d.remaining, 4 - i);
            clock.advanceMs(1000);
        }
        const RateDecision refused = limiter.check(QStringLiteral("k"), policy);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.remaining, 0);
        // The first request (t=0) slides out at t=60 s; we are at t=5 s.
        QCOMPARE(refused.retryAfterS, 55);
        QCOMPARE(refused.headerValue(), QStringLiteral("limit=5, remaining=0, reset=55"));
    }

    void burstRefusalSaysWhenThereIsRoom()
    {
        core::ManualClock clock(0);
        RateLimiter limiter(clock);
        const RatePolicy policy{60, 60, 3};
        for (int i = 0; i < 3; ++i)
            QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed);
        clock.advanceMs(400);
        const RateDecision refused = limiter.check(QStringLiteral("k"), policy);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterS, 1);
        QCOMPARE(refused.headerValue(), QStringLiteral("limit=60, remaining=0, reset=1"));
        clock.advanceMs(600); // the burst second has passed: room again, and the header says so
        const RateDecision next = limiter.check(QStringLiteral("k"), policy);
        QVERIFY(next.allowed);
        QCOMPARE(next.headerValue(), QStringLiteral("limit=60, remaining=56, reset=0"));
    }

    void slidingWindowEdge()
    {
        core::ManualClock clock(0);
        RateLimiter limiter(clock);
        const RatePolicy policy{2, 60, 100};
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed); // t = 0
        clock.setMs(30'000);
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed); // t = 30 s
        clock.setMs(59'999);
        QVERIFY(!limiter.check(QStringLiteral("k"), policy).allowed); // t=0 still inside
        clock.setMs(60'000);
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed); // t=0 slid out exactly now
        clock.setMs(60'001);
        QVERIFY(!limiter.check(QStringLiteral("k"), policy).allowed); // 30 s and 60 s inside
        clock.setMs(90'000);
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed);
    }

    void refusedRequestsDoNotExtendThePenalty()
    {
        core::ManualClock clock(0);
        RateLimiter limiter(clock);
        const RatePolicy policy{1, 10, 100};
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed);
        for (int i = 0; i < 9; ++i) {
            clock.advanceMs(1000);
            QVERIFY(!limiter.check(QStringLiteral("k"), policy).allowed);
        }
        clock.setMs(10'000);
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed);
    }

    void burstHeadroom()
    {
        core::ManualClock clock(0);
        RateLimiter limiter(clock);
        const RatePolicy policy{60, 60, 10};
        for (int i = 0; i < 10; ++i)
            QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed);
        const RateDecision burst = limiter.check(QStringLiteral("k"), policy);
        QVERIFY(!burst.allowed);
        QCOMPARE(burst.retryAfterS, 1);
        QCOMPARE(burst.remaining, 0); // nothing can be sent now, although the minute has room
        QCOMPARE(burst.resetS, 1);
        clock.setMs(999);
        QVERIFY(!limiter.check(QStringLiteral("k"), policy).allowed);
        clock.setMs(1000);
        QVERIFY(limiter.check(QStringLiteral("k"), policy).allowed);
    }

    void keysAreIndependent()
    {
        core::ManualClock clock(0);
        RateLimiter limiter(clock);
        const RatePolicy policy{1, 60, 10};
        QVERIFY(limiter.check(QStringLiteral("a"), policy).allowed);
        QVERIFY(!limiter.check(QStringLiteral("a"), policy).allowed);
        QVERIFY(limiter.check(QStringLiteral("b"), policy).allowed);
        limiter.forget(QStringLiteral("a"));
        QVERIFY(limiter.check(QStringLiteral("a"), policy).allowed);
    }

    void tierPolicies()
    {
        const RatePolicy free = RatePolicy::forTier(Tier::Free);
        const RatePolicy pro = RatePolicy::forTier(Tier::Pro);
        const RatePolicy enterprise = RatePolicy::forTier(Tier::Enterprise);
        QVERIFY(free.limit < pro.limit && pro.limit < enterprise.limit);
        QVERIFY(free.burst > free.limit / free.windowS); // headroom above the steady rate
        QCOMPARE(free.headerValue(), QStringLiteral("60;w=60;burst=10"));
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "TestRateLimiter.moc"
