using TeslaDb.Admin.Core;

namespace TeslaDb.Admin.Views;

/// <summary>Sort (o: next column, O: reverse): the list reloads from its first page in the new order.</summary>
internal sealed partial class AdminConsole
{
    private void Sort(bool reverse)
    {
        if (_navigator.Current is not ListScreen list)
        {
            ShowMessage("Only lists sort: Esc goes back to the list.");
            return;
        }

        InBackground("Sorting", ct => reverse ? list.ReverseOrderAsync(ct) : list.SortByNextColumnAsync(ct), () => Render(select: 0));
    }
}
