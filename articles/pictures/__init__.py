"""The picture library: the model, checked uploads, renditions cut around a
focal point, the services that write pictures, and their desk pages."""
