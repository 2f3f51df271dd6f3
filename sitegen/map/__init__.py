"""Maps of parks: the parts our pages place, folium shapes, and tile providers."""
