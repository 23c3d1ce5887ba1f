using System.Text;

namespace TeslaDb.Admin.Core;

/// <summary>
/// Copies text to the operator's clipboard with the OSC 52 escape sequence (ESC ] 52 ; c ; base64 BEL) written to
/// the terminal: the terminal itself sets its clipboard, so it works over SSH and needs no xclip. Whether the
/// terminal obeys is up to it (tmux needs <c>set-clipboard on</c>; some terminals ask or refuse); where the sequence
/// cannot be written at all, the result says why and what to do instead.
/// </summary>
/// <param name="emit">Writes raw text to the terminal; null when there is no terminal to write to.</param>
public sealed class Osc52Clipboard(Action<string>? emit)
{
    /// <summary>The most text sent in one sequence: terminals cap OSC 52 (xterm and tmux near 100 KB of base64).</summary>
    public const int MaxBytes = 74_000;

    /// <summary>The sequence that puts <paramref name="text"/> on the clipboard ("c").</summary>
    public static string Sequence(string text) => $"\u001b]52;c;{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}\u0007";

    /// <summary>Copies <paramref name="text"/> (<paramref name="what"/> names it); returns the line to show the operator.</summary>
    public string Copy(string text, string what)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (emit is null)
        {
            return $"Cannot copy {what}: no terminal to send the clipboard sequence (OSC 52) to. Export it to a file with > instead.";
        }

        if (bytes > MaxBytes)
        {
            return $"Cannot copy {what}: {Format.Bytes(bytes)} is more than a terminal takes through OSC 52 ({Format.Bytes(MaxBytes)}). Export it to a file with > instead.";
        }

        emit(Sequence(text));
        return $"Copied {what} ({Format.Bytes(bytes)}) to the clipboard through the terminal (OSC 52; in tmux: set-clipboard on).";
    }
}
