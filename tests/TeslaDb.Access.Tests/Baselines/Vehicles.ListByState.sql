SELECT
	v.id,
	v.tesla_account_id,
	v.tesla_id,
	v.tesla_vehicle_id,
	v.vin,
	v.vehicle_data,
	v.display_name,
	v.access_type,
	v.state,
	v.in_service,
	v.api_version,
	v.created_at,
	v.updated_at,
	v.last_synced_at
FROM
	public.vehicles v
WHERE
	v.tesla_account_id = :accountId AND v.state = :state
ORDER BY
	v.display_name,
	v.id;
