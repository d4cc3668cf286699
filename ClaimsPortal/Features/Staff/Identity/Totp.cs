using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>
/// RFC 6238 time-based codes (30-second steps, 6 digits, HMAC-SHA1), as authenticator apps and Identity's
/// authenticator provider compute them. Used to verify codes (<see cref="StaffAuthenticatorTokenProvider"/>) and to
/// show the demo accounts' current codes in the development inbox.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public static string Code(string base32Key, DateTimeOffset at) => Code(base32Key, TimeStep(at));

    /// <summary>The 30-second step <paramref name="at"/> falls in (Unix seconds / 30): each code belongs to one.</summary>
    public static long TimeStep(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static string Code(string base32Key, long counter)
    {
        var key = Base32Decode(base32Key);
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        var hash = HMACSHA1.HashData(key, message);
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Seconds until the code shown at <paramref name="at"/> changes.</summary>
    public static int SecondsLeft(DateTimeOffset at) => (int)(Step.TotalSeconds - (at.ToUnixTimeSeconds() % (long)Step.TotalSeconds));

    public static byte[] Base32Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 character.");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)((buffer >> bits) & 0xff));
            }
        }
        return [.. bytes];
    }

    public static string Base32Encode(ReadOnlySpan<byte> data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new System.Text.StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(alphabet[(buffer >> bits) & 31]);
            }
        }
        if (bits > 0)
        {
            text.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }
        return text.ToString();
    }
}
