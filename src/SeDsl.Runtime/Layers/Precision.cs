namespace SeDsl;

/// <summary>
/// The floating-point type a generated network's fused inference path computes in (<c>Fuse(Precision, MemoryFormat)</c>),
/// or a training run's convolutions and linear layers (<see cref="Training.TrainingOptions.Precision"/>).
/// </summary>
public enum Precision
{
    /// <summary>32-bit IEEE floats throughout: today's behaviour and the default.</summary>
    Float32,

    /// <summary>
    /// bfloat16 (8 exponent bits, 7 mantissa bits): float32's range at half the memory, and about twice the convolution
    /// speed of float32 on CPUs with AVX-512 BF16 or AMX, and on GPUs from Ampere on. Needs no loss scaling in training.
    /// </summary>
    BFloat16,

    /// <summary>
    /// IEEE half (5 exponent bits, 10 mantissa bits), for inference where the backend has fast kernels for it (GPUs;
    /// CPUs with AVX-512 FP16). On other CPUs libtorch runs it, correctly but slower than float32. Training in it would
    /// need loss scaling and is not offered.
    /// </summary>
    Float16,
}
