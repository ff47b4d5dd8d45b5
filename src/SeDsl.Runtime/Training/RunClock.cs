using System;
using System.Diagnostics;

namespace SeDsl.Training;

/// <summary>
/// Times a run's training steps: each step from the end of the one before (so the data loader's time counts), the
/// run's first <c>warmupSteps</c> left out of throughput and of the estimate of the time remaining.
/// </summary>
internal sealed class RunClock(int warmupSteps, long totalSteps)
{
    private int warmupLeft = warmupSteps;
    private long stepsDone;
    private double allSeconds;
    private long timedSteps;
    private double timedSeconds;
    private long epochStart;
    private long lastStamp;
    private long epochTimedSamples;
    private double epochTimedSeconds;

    public TimeSpan EpochElapsed => Stopwatch.GetElapsedTime(epochStart, lastStamp);

    /// <summary>Samples per second over this epoch's timed steps; 0 before the first.</summary>
    public double EpochSamplesPerSecond => epochTimedSeconds > 0 ? epochTimedSamples / epochTimedSeconds : 0;

    /// <summary>The run's steps left times the mean timed step (all steps while none is timed yet).</summary>
    public TimeSpan? Remaining =>
        stepsDone == 0 ? null : TimeSpan.FromSeconds(Math.Max(0, totalSteps - stepsDone) * (timedSteps > 0 ? timedSeconds / timedSteps : allSeconds / stepsDone));

    public void StartEpoch()
    {
        epochStart = lastStamp = Stopwatch.GetTimestamp();
        epochTimedSamples = 0;
        epochTimedSeconds = 0;
    }

    public void StepDone(long samples)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(lastStamp, now).TotalSeconds;
        lastStamp = now;
        stepsDone++;
        allSeconds += seconds;
        if (warmupLeft > 0)
        {
            warmupLeft--;
            return;
        }

        timedSteps++;
        timedSeconds += seconds;
        epochTimedSamples += samples;
        epochTimedSeconds += seconds;
    }
}
