using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SeDsl.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace SeDsl.Tests.Runtime;

/// <summary>
/// Saving is atomic: a save interrupted at any byte leaves the previous checkpoint complete and loadable.
/// Faults are injected through the writer's internal stream hook.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    public static TheoryData<string> Extensions => new() { ".safetensors", ".pt" };

    [Theory]
    [MemberData(nameof(Extensions))]
    public void A_save_that_fails_midway_leaves_the_previous_checkpoint_intact_and_no_temporary_file(string extension)
    {
        using var model = new TinySeNet();
        string path = directory.File("checkpoint" + extension);
        Weights.Save(model, path);
        byte[] previous = File.ReadAllBytes(path);
        var saved = StateDicts.Snapshot(model);
        Perturb(model);

        var error = Assert.Throws<IOException>(() =>
            Weights.Save(model, path, format: null, intercept: s => new FaultyStream(s, failAfter: previous.Length / 2)));

        Assert.Equal(FaultyStream.Message, error.Message);
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(directory.Path));
        using var restored = new TinySeNet();
        Weights.Load(restored, path);
        StateDicts.AssertEqual(saved, restored);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public async Task While_a_save_is_under_way_the_target_still_holds_the_complete_previous_checkpoint(string extension)
    {
        // What a process killed mid-write leaves behind: the target untouched, a partial temporary file beside it.
        using var model = new TinySeNet();
        string path = directory.File("checkpoint" + extension);
        Weights.Save(model, path);
        byte[] previous = File.ReadAllBytes(path);
        var saved = StateDicts.Snapshot(model);
        Perturb(model);
        using var halfway = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();

        var save = Task.Run(() => Weights.Save(model, path, format: null,
            intercept: s => new PausingStream(s, pauseAfter: previous.Length / 2, halfway, resume)));
        try
        {
            Assert.True(halfway.Wait(TimeSpan.FromSeconds(60)), "the save never reached its halfway point");

            Assert.Equal(previous, File.ReadAllBytes(path));
            string temporary = Assert.Single(Directory.GetFiles(directory.Path), f => f != path);
            Assert.StartsWith(".checkpoint" + extension + ".", Path.GetFileName(temporary), StringComparison.Ordinal);
            Assert.True(new FileInfo(temporary).Length < previous.Length);
            using var restored = new TinySeNet();
            Weights.Load(restored, path);
            StateDicts.AssertEqual(saved, restored);
        }
        finally
        {
            resume.Set();
            await save.WaitAsync(TimeSpan.FromSeconds(60));
        }

        // Once the save completes, the target holds the new weights and the temporary file is gone.
        Assert.Equal(new[] { path }, Directory.GetFiles(directory.Path));
        using var reloaded = new TinySeNet();
        Weights.Load(reloaded, path);
        StateDicts.AssertEqual(model.state_dict(), reloaded);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void The_next_save_removes_temporary_files_that_interrupted_saves_left_and_nothing_else(string extension)
    {
        using var model = new TinySeNet();
        string path = directory.File("checkpoint" + extension);
        string name = Path.GetFileName(path);
        // What killed saves leave (no process holds them), and files that only look similar.
        string[] stale = Enumerable.Range(0, 3).Select(_ => directory.File($".{name}.{Guid.NewGuid():N}.tmp")).ToArray();
        string[] others =
        {
            directory.File($".other{extension}.{Guid.NewGuid():N}.tmp"),          // another target's
            directory.File($".{name}.{Guid.NewGuid():N}.tmp.bak"),
            directory.File($".{name}.{Guid.NewGuid().ToString("N").ToUpperInvariant()}.tmp"),
            directory.File($".{name}.notours.tmp"),
            directory.File($"{name}.{Guid.NewGuid():N}.tmp"),
        };
        foreach (string file in stale.Concat(others))
        {
            File.WriteAllBytes(file, new byte[100]);
        }

        Weights.Save(model, path);

        Assert.Equal(others.Append(path).Order(StringComparer.Ordinal), Directory.GetFiles(directory.Path).Order(StringComparer.Ordinal));
        using var restored = new TinySeNet();
        Weights.Load(restored, path);
        StateDicts.AssertEqual(model.state_dict(), restored);
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public async Task A_save_that_is_still_running_keeps_its_temporary_file_when_another_save_cleans_up(string extension)
    {
        // Two saves to one path: the second runs from start to end while the first is paused halfway.
        using var first = new TinySeNet();
        using var second = new TinySeNet();
        string path = directory.File("checkpoint" + extension);
        Weights.Save(first, path);
        long size = new FileInfo(path).Length;
        using var halfway = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        var save = Task.Run(() => Weights.Save(first, path, format: null,
            intercept: s => new PausingStream(s, pauseAfter: size / 2, halfway, resume)));
        try
        {
            Assert.True(halfway.Wait(TimeSpan.FromSeconds(60)), "the save never reached its halfway point");
            string live = Assert.Single(Directory.GetFiles(directory.Path), f => f != path);

            Weights.Save(second, path);

            Assert.True(File.Exists(live), "the cleanup deleted the temporary file of a save that was still running");
            using var loaded = new TinySeNet();
            Weights.Load(loaded, path);
            StateDicts.AssertEqual(second.state_dict(), loaded);
        }
        finally
        {
            resume.Set();
            await save.WaitAsync(TimeSpan.FromSeconds(60));
        }

        // The paused save then completes normally: it renames its own file over the target, leaving nothing behind.
        Assert.Equal(new[] { path }, Directory.GetFiles(directory.Path));
        using var last = new TinySeNet();
        Weights.Load(last, path);
        StateDicts.AssertEqual(first.state_dict(), last);
    }

    [Fact]
    public void A_save_into_a_missing_directory_fails_and_creates_nothing()
    {
        using var model = new TinySeNet();
        string path = Path.Combine(directory.Path, "absent", "checkpoint.safetensors");

        Assert.Throws<DirectoryNotFoundException>(() => Weights.Save(model, path));

        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }

    private static void Perturb(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var parameter in module.parameters())
        {
            parameter.add_(1.0);
        }
    }

    /// <summary>Passes writes through until <c>failAfter</c> bytes, writes up to that byte, then fails as a full disk would.</summary>
    private sealed class FaultyStream(Stream inner, long failAfter) : PassThroughStream(inner)
    {
        public const string Message = "Injected fault: no space left on device.";

        protected override void Write(ReadOnlySpan<byte> buffer, long written)
        {
            if (written + buffer.Length > failAfter)
            {
                Inner.Write(buffer[..(int)(failAfter - written)]);
                Inner.Flush();
                throw new IOException(Message);
            }

            Inner.Write(buffer);
        }
    }

    /// <summary>Passes writes through, pausing once at byte <c>pauseAfter</c> until the test resumes it.</summary>
    private sealed class PausingStream(Stream inner, long pauseAfter, ManualResetEventSlim halfway, ManualResetEventSlim resume) : PassThroughStream(inner)
    {
        protected override void Write(ReadOnlySpan<byte> buffer, long written)
        {
            if (halfway.IsSet || written + buffer.Length <= pauseAfter)
            {
                Inner.Write(buffer);
                return;
            }

            int before = (int)Math.Max(0, pauseAfter - written);
            Inner.Write(buffer[..before]);
            Inner.Flush();
            halfway.Set();
            resume.Wait(TimeSpan.FromSeconds(60));
            Inner.Write(buffer[before..]);
        }
    }

    /// <summary>A write-only stream over another that lets a subclass intercept every write.</summary>
    private abstract class PassThroughStream(Stream inner) : Stream
    {
        private long written;

        protected Stream Inner { get; } = inner;

        public override bool CanRead => false;

        public override bool CanSeek => Inner.CanSeek;

        public override bool CanWrite => true;

        public override long Length => Inner.Length;

        public override long Position
        {
            get => Inner.Position;
            set => Inner.Position = value;
        }

        /// <summary>Writes <paramref name="buffer"/>, <paramref name="written"/> bytes having been written before.</summary>
        protected abstract void Write(ReadOnlySpan<byte> buffer, long written);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Write(buffer, written);
            written += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => Inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => Inner.Seek(offset, origin);

        public override void SetLength(long value) => Inner.SetLength(value);
    }
}
