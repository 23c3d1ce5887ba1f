using Terminal.Gui.Input;
using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Moving, paging, opening, going back, filtering, and drawing the current screen.</summary>
internal sealed partial class AdminConsole
{
    private int _detailRequest;

    /// <summary>Moves within the page (the view does it) or, at its first or last row, loads the page before or after.</summary>
    private bool Move(bool forward, bool translate, Command command)
    {
        if (_navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            if (forward && row >= list.Count - 1 && list.HasNext)
            {
                InBackground("Loading the next page", list.NextPageAsync, () => Render(select: 0));
                return true;
            }

            if (!forward && row <= 0 && list.HasPrevious)
            {
                InBackground("Loading the previous page", list.PreviousPageAsync, () => Render(select: list.Count - 1));
                return true;
            }
        }

        if (translate)
        {
            // j and k are Down and Up for whichever view shows the current screen.
            (_navigator.Current is ListScreen ? (Terminal.Gui.ViewBase.View)Window.Table : Window.Json).InvokeCommand(command);
            return true;
        }

        return false;
    }

    private void Open()
    {
        if (_navigator.Current is ListScreen list && list.Count > 0)
        {
            var row = SelectedRow;
            list.Selected = row;
            InBackground("Opening", ct => _navigator.OpenAsync(row, ct), () => Render());
        }
    }

    private void Back()
    {
        if (!_started)
        {
            return; // a startup problem is on screen: Esc must not quit past it (q does)
        }

        if (_navigator.Back())
        {
            Render();
        }
        else
        {
            ShowMessage("At the account list: press q to quit, ? for help.");
        }
    }

    private void Refresh()
    {
        if (!_started)
        {
            Start();
        }
        else if (_navigator.Current is ListScreen list)
        {
            var row = SelectedRow;
            InBackground("Refreshing", list.ReloadAsync, () => Render(select: row));
        }
    }

    private void AskFilter()
    {
        if (_navigator.Current is not ListScreen { FilterPrompt: { } prompt } list)
        {
            ShowMessage("This screen has no filter: Esc goes back to the list.");
            return;
        }

        var text = PromptDialog.Ask(_app, $"Filter {list.Title}", prompt, list.Filter);
        if (text is not null)
        {
            InBackground("Filtering", ct => list.ApplyFilterAsync(text, ct), () => Render(select: 0));
        }
    }

    private void OpenJournal()
    {
        if (_navigator.Current is JournalScreen)
        {
            Refresh();
            return;
        }

        InBackground("Reading the journal of purges", _navigator.OpenJournalAsync, () => Render());
    }

    private void AskVin()
    {
        var vin = PromptDialog.Ask(_app, "Go to a vehicle", "VIN, or the start of one (e.g. 5YJ3E1EA):");
        if (!string.IsNullOrWhiteSpace(vin))
        {
            InBackground("Looking up the VIN", ct => _navigator.JumpToVinAsync(vin, ct), () => Render());
        }
    }

    private string _header = string.Empty;

    /// <summary>The header: where the operator is, and the watch state when watch was turned on.</summary>
    private void DrawHeader() => Window.Header.Text = _header + WatchText();

    private void Render(int? select = null)
    {
        _header = _navigator.Breadcrumb;
        switch (_navigator.Current)
        {
            case ListScreen list:
                Window.Json.Visible = false;
                Window.Table.Visible = true;
                Window.Table.Table = new ScreenTableSource(list);
                // A 60-character account name pushed the e-mail and the counts off a 120-column screen: names are cut
                // at NameWidth (the whole name is in the copy, c, and the export).
                Window.Table.Style.ColumnStyles.Clear();
                foreach (var column in list.NameColumns)
                {
                    Window.Table.Style.GetOrCreateColumnStyle(column).MaxWidth = MainWindow.NameWidth;
                }

                var row = Math.Clamp(select ?? list.Selected, 0, Math.Max(0, list.Count - 1));
                if (list.Count > 0)
                {
                    Window.Table.SetSelection(0, row, false, null);
                    Window.Table.EnsureCursorIsVisible();
                }

                _header = $"{_navigator.Breadcrumb}   ({list.Position})";
                Window.Table.SetFocus();
                RequestDetail();
                break;
            case ResponseScreen response:
                Window.Table.Visible = false;
                Window.Json.Visible = true;
                Window.Json.WordWrap = false; // JSON keeps its lines: long values scroll sideways
                Window.Json.Text = response.Json;
                Window.Detail.Text = response.Header;
                Window.Json.SetFocus();
                break;
        }

        DrawHeader();
        Window.SetNeedsDraw();
    }

    /// <summary>
    /// Loads the selected row's detail line (an account's masked token) without blocking other work. Waits until the
    /// selection has rested for a moment, so holding j down over a page runs one query, not one per row.
    /// </summary>
    private void RequestDetail()
    {
        var request = ++_detailRequest;
        if (_navigator.Current is not ListScreen list || list.Count == 0)
        {
            Window.Detail.Text = string.Empty;
            return;
        }

        _app.AddTimeout(TimeSpan.FromMilliseconds(120), () =>
        {
            if (request == _detailRequest && ReferenceEquals(_navigator.Current, list))
            {
                LoadDetail(list, Math.Clamp(SelectedRow, 0, list.Count - 1), request);
            }

            return false;
        });
    }

    private void LoadDetail(ListScreen list, int row, int request) =>
        _ = Task.Run(async () =>
        {
            string text;
            try
            {
                text = await list.DetailAsync(row, CancellationToken.None) ?? string.Empty;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                text = Problem.From(e, _navigator.Session.Target, startingUp: false).Message;
            }

            _app.Invoke(() =>
            {
                if (request == _detailRequest && ReferenceEquals(_navigator.Current, list))
                {
                    Window.Detail.Text = text;
                }
            });
        });
}
