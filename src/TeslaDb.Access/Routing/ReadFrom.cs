namespace TeslaDb.Access;

/// <summary>Which server a read may use.</summary>
internal enum ReadFrom
{
    /// <summary>The primary: the read must see the latest writes (its caller's own, or a lock's decision).</summary>
    Primary,

    /// <summary>A standby within the lag bound when there is one, else the primary: the read tolerates that lag.</summary>
    Replica,
}
