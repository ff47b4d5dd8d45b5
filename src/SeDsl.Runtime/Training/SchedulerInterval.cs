namespace SeDsl.Training;

/// <summary>When <see cref="Trainer"/> calls the learning-rate scheduler's <c>step()</c>.</summary>
public enum SchedulerInterval
{
    /// <summary>After every optimizer step (for schedules counted in steps, e.g. <c>OneCycleLR</c>, a cosine over all steps).</summary>
    Step,

    /// <summary>After every epoch (for schedules counted in epochs, e.g. <c>StepLR</c>). <c>ReduceLROnPlateau</c> always steps per epoch, with the monitored figure.</summary>
    Epoch,
}
