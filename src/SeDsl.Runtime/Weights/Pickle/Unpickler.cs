using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using System.Text;
using static TorchSharp.torch;

namespace SeDsl.Pickle;

/// <summary>
/// Reads the pickle that <c>torch.save</c> writes (<c>data.pkl</c>, protocol 2 by default; the binary opcodes of
/// protocols 2 to 5 are understood) into plain values, without running anything: globals are only named, and the
/// few that build what a state_dict holds are interpreted (<c>collections.OrderedDict</c>,
/// <c>torch._utils._rebuild_tensor_v2</c>, <c>_rebuild_parameter</c>, the storage classes). Every other object is
/// kept as a <see cref="PyObject"/>, so a checkpoint with optimizer state or arguments reads without error.
/// </summary>
internal sealed class Unpickler
{
    private static readonly object Mark = new();

    private readonly byte[] data;
    private readonly Func<object?, object?> persistentLoad;
    private readonly List<object?> stack = new();
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = new();
    private int position;

    private Unpickler(byte[] data, Func<object?, object?> persistentLoad)
    {
        this.data = data;
        this.persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickled value.</summary>
    /// <param name="data">The pickle.</param>
    /// <param name="persistentLoad">Resolves BINPERSID ids (torch.save's storage tuples).</param>
    /// <exception cref="InvalidDataException">The pickle is malformed or uses an opcode this reader does not know.</exception>
    public static object? Load(byte[] data, Func<object?, object?> persistentLoad) => new Unpickler(data, persistentLoad).Run();

    private object? Run()
    {
        while (true)
        {
            int at = position;
            byte opcode = Byte();
            switch (opcode)
            {
                case 0x80: Byte(); break;                                         // PROTO
                case 0x95: Bytes(8); break;                                       // FRAME: framing only
                case (byte)'.': return stack.Count == 1 ? stack[0] : throw Malformed(at, "STOP with a stack of " + stack.Count);
                case (byte)'(': marks.Push(stack.Count); stack.Add(Mark); break;  // MARK
                case (byte)'0': Pop(); break;                                     // POP
                case (byte)'1': PopMark(); break;                                 // POP_MARK
                case (byte)'2': stack.Add(Peek()); break;                         // DUP
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;                                // NEWTRUE
                case 0x89: stack.Add(false); break;                               // NEWFALSE
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break;   // BININT
                case (byte)'K': stack.Add((long)Byte()); break;                                            // BININT1
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break;  // BININT2
                case 0x8a: stack.Add(Long(Byte())); break;                                                 // LONG1
                case 0x8b: stack.Add(Long(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break; // LONG4
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;          // BINFLOAT
                case (byte)'X': stack.Add(Text(Length32())); break;                                        // BINUNICODE
                case 0x8c: stack.Add(Text(Byte())); break;                                                 // SHORT_BINUNICODE
                case 0x8d: stack.Add(Text(Length64())); break;                                             // BINUNICODE8
                case (byte)'T': stack.Add(Latin1(Length32())); break;                                      // BINSTRING
                case (byte)'U': stack.Add(Latin1(Byte())); break;                                          // SHORT_BINSTRING
                case (byte)'B': stack.Add(Bytes(Length32()).ToArray()); break;                             // BINBYTES
                case (byte)'C': stack.Add(Bytes(Byte()).ToArray()); break;                                 // SHORT_BINBYTES
                case 0x8e: stack.Add(Bytes(Length64()).ToArray()); break;                                  // BINBYTES8
                case 0x96: stack.Add(Bytes(Length64()).ToArray()); break;                                  // BYTEARRAY8
                case (byte)')': stack.Add(Array.Empty<object?>()); break;                                  // EMPTY_TUPLE
                case (byte)'t': stack.Add(PopMark().ToArray()); break;                                     // TUPLE
                case 0x85: stack.Add(new[] { Pop() }); break;                                              // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }             // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case (byte)']': stack.Add(new List<object?>()); break;                                     // EMPTY_LIST
                case (byte)'l': stack.Add(PopMark()); break;                                               // LIST
                case (byte)'a': { var v = Pop(); ListAt(at).Add(v); break; }                               // APPEND
                case (byte)'e': { var items = PopMark(); ListAt(at).AddRange(items); break; }              // APPENDS
                case (byte)'}': stack.Add(new PyDict("dict")); break;                                      // EMPTY_DICT
                case (byte)'d': stack.Add(DictFrom(PopMark(), at)); break;                                 // DICT
                case (byte)'s': { var v = Pop(); var k = Pop(); DictAt(at).Set(k, v); break; }             // SETITEM
                case (byte)'u': SetItems(at); break;                                                       // SETITEMS
                case 0x8f: stack.Add(new List<object?>()); break;                                          // EMPTY_SET (as a list)
                case 0x90: { var items = PopMark(); ListAt(at).AddRange(items); break; }                   // ADDITEMS
                case 0x91: stack.Add(PopMark()); break;                                                    // FROZENSET
                case (byte)'c': stack.Add(new PyGlobal(Line(), Line())); break;                            // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); stack.Add(new PyGlobal(Str(module, at), Str(name, at))); break; } // STACK_GLOBAL
                case (byte)'R': { var args = Pop(); var callable = Pop(); stack.Add(Reduce(callable, Tuple(args, at), at)); break; } // REDUCE
                case 0x81: { var args = Pop(); var type = Pop(); stack.Add(Reduce(type, Tuple(args, at), at)); break; }     // NEWOBJ
                case 0x92: { Pop(); var args = Pop(); var type = Pop(); stack.Add(Reduce(type, Tuple(args, at), at)); break; } // NEWOBJ_EX
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; }                        // BUILD
                case (byte)'Q': stack.Add(persistentLoad(Pop())); break;                                   // BINPERSID
                case (byte)'h': stack.Add(Get(Byte(), at)); break;                                         // BINGET
                case (byte)'j': stack.Add(Get(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)), at)); break; // LONG_BINGET
                case (byte)'q': memo[Byte()] = Peek(); break;                                              // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(); break;   // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(); break;                                               // MEMOIZE
                default:
                    throw Malformed(at, $"opcode 0x{opcode:x2} ('{(opcode is >= 0x20 and < 0x7f ? (char)opcode : '?')}') is not one torch.save writes");
            }
        }
    }

    private static object? Reduce(object? callable, object?[] args, int at)
    {
        if (callable is not PyGlobal global)
        {
            throw Malformed(at, $"REDUCE of {PyDescribe.Of(callable)}");
        }

        switch (global.Module, global.Name)
        {
            case ("collections", "OrderedDict"):
                var dict = new PyDict("OrderedDict");
                if (args.Length == 1 && args[0] is List<object?> pairs)
                {
                    foreach (var pair in pairs)
                    {
                        if (pair is object?[] { Length: 2 } kv)
                        {
                            dict.Set(kv[0], kv[1]);
                        }
                    }
                }

                return dict;
            case ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor") when args.Length >= 4 && args[0] is StorageRef storage:
                return new TensorRef(storage, Int(args[1], at), Ints(args[2], at), Ints(args[3], at));
            case ("torch._utils", "_rebuild_parameter" or "_rebuild_parameter_with_state") when args.Length >= 1 && args[0] is TensorRef data:
                return data with { IsParameter = true };
            case ("copyreg", "_reconstructor" or "__newobj__") when args.Length >= 1 && args[0] is PyGlobal type:
                return new PyObject(type, args);    // how pickle rebuilds an instance of a class, e.g. a whole nn.Module
            default:
                return new PyObject(global, args);
        }
    }

    private static void Build(object? target, object? state)
    {
        switch (target)
        {
            case PyDict dict when state is PyDict attributes:
                foreach (var (key, value) in attributes.Items)
                {
                    if (key is string name)
                    {
                        dict.Attributes[name] = value;
                    }
                }

                break;
            case PyObject obj:
                obj.State = state;
                break;
            default:
                break;      // e.g. a tensor's or parameter's __dict__: nothing a state_dict needs
        }
    }

    private void SetItems(int at)
    {
        var items = PopMark();
        var dict = DictAt(at);
        if (items.Count % 2 != 0)
        {
            throw Malformed(at, "SETITEMS with an odd number of items");
        }

        for (int i = 0; i < items.Count; i += 2)
        {
            dict.Set(items[i], items[i + 1]);
        }
    }

    private static PyDict DictFrom(List<object?> items, int at)
    {
        if (items.Count % 2 != 0)
        {
            throw Malformed(at, "DICT with an odd number of items");
        }

        var dict = new PyDict("dict");
        for (int i = 0; i < items.Count; i += 2)
        {
            dict.Set(items[i], items[i + 1]);
        }

        return dict;
    }

    private PyDict DictAt(int at) => Peek() as PyDict ?? throw Malformed(at, $"setting an item of {PyDescribe.Of(Peek())}");

    private List<object?> ListAt(int at) => Peek() as List<object?> ?? throw Malformed(at, $"appending to {PyDescribe.Of(Peek())}");

    private object? Get(long key, int at) =>
        memo.TryGetValue(key, out var value) ? value : throw Malformed(at, $"memo entry {key} is read before it is written");

    private object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() == stack.Count))
        {
            throw Malformed(position - 1, "the stack is empty");
        }

        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object? Peek() => stack.Count > 0 && stack[^1] != Mark ? stack[^1] : throw Malformed(position - 1, "the stack is empty");

    private List<object?> PopMark()
    {
        if (marks.Count == 0)
        {
            throw Malformed(position - 1, "no MARK to pop to");
        }

        int start = marks.Pop();
        var items = stack.GetRange(start + 1, stack.Count - start - 1);
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private byte Byte() => position < data.Length ? data[position++] : throw Malformed(position, "the pickle ends early");

    private ReadOnlySpan<byte> Bytes(long count)
    {
        if (count < 0 || count > data.Length - position)
        {
            throw Malformed(position, $"a field of {count} bytes runs past the end of the pickle");
        }

        var span = data.AsSpan(position, (int)count);
        position += (int)count;
        return span;
    }

    private long Length32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    private long Length64()
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));
        return length > int.MaxValue ? throw Malformed(position - 8, $"a field of {length} bytes") : (long)length;
    }

    private string Text(long length) => Encoding.UTF8.GetString(Bytes(length));

    private string Latin1(long length) => Encoding.Latin1.GetString(Bytes(length));

    private string Line()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0)
        {
            throw Malformed(position, "a GLOBAL name runs past the end of the pickle");
        }

        string text = Encoding.UTF8.GetString(data, position, end - position);
        position = end + 1;
        return text;
    }

    private object Long(int length)
    {
        var value = new BigInteger(Bytes(length), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private static object?[] Tuple(object? value, int at) =>
        value as object?[] ?? throw Malformed(at, $"arguments are {PyDescribe.Of(value)}, not a tuple");

    private static string Str(object? value, int at) => value as string ?? throw Malformed(at, $"a global named by {PyDescribe.Of(value)}");

    private static long Int(object? value, int at) => value as long? ?? throw Malformed(at, $"{PyDescribe.Of(value)} where an int belongs");

    private static long[] Ints(object? value, int at)
    {
        var items = Tuple(value, at);
        var result = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = Int(items[i], at);
        }

        return result;
    }

    private static InvalidDataException Malformed(int at, string what) => new($"data.pkl, byte {at}: {what}.");

    /// <summary>The element type of a storage class such as <c>torch.FloatStorage</c>, or null for one torch has not written.</summary>
    public static ScalarType? StorageDType(string name) => name switch
    {
        "DoubleStorage" => ScalarType.Float64,
        "FloatStorage" => ScalarType.Float32,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        "ComplexFloatStorage" => ScalarType.ComplexFloat32,
        "ComplexDoubleStorage" => ScalarType.ComplexFloat64,
        _ => null,
    };
}
