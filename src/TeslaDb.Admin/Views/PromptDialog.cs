using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace TeslaDb.Admin.Views;

/// <summary>Asks for one line of text (a filter, a VIN). Enter accepts, Esc cancels.</summary>
internal sealed class PromptDialog : Dialog
{
    private readonly TextField _field;
    private bool _accepted;

    private PromptDialog(string title, string prompt, string? initial)
    {
        HotKeySpecifier = MainWindow.NoHotKey;
        Title = title;
        Width = Dim.Percent(70);
        // The border, the padding and the buttons take six rows: at 8 the viewport held two (the blank line and the
        // prompt) and the field, drawn on the third, was never seen — the operator typed blind.
        Height = 9;
        _field = new TextField { X = 1, Y = 2, Width = Dim.Fill(1), Text = initial ?? string.Empty };
        Add(new Label { X = 1, Y = 1, Width = Dim.Fill(1), Text = prompt, HotKeySpecifier = MainWindow.NoHotKey }, _field);
        var ok = new Button { Title = "_OK" };
        AddButton(new Button { Title = "_Cancel" });
        AddButton(ok);
        _field.Accepting += (_, e) => Accept(e);
        ok.Accepting += (_, e) => Accept(e);
        IsRunningChanged += (_, running) =>
        {
            if (running.Value)
            {
                _field.SetFocus();
            }
        };
    }

    /// <summary>The text typed, or null when the operator cancelled.</summary>
    public static string? Ask(IApplication app, string title, string prompt, string? initial = null)
    {
        using var dialog = new PromptDialog(title, prompt, initial);
        app.Run(dialog);
        return dialog._accepted ? dialog._field.Text : null;
    }

    private void Accept(Terminal.Gui.Input.CommandEventArgs e)
    {
        e.Handled = true;
        _accepted = true;
        RequestStop();
    }
}
